// The subscription's one Microsoft.Resources.Subscriptions system topic (location global; only one may
// exist per subscription). It carries the responder's identity so dead letters are written with it.
param tags object
param identityResourceId string

resource systemTopic 'Microsoft.EventGrid/systemTopics@2025-02-15' = {
  name: 'evgt-sub-${subscription().subscriptionId}'
  location: 'global'
  tags: tags
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityResourceId}': {}
    }
  }
  properties: {
    source: subscription().id
    topicType: 'Microsoft.Resources.Subscriptions'
  }
}

output systemTopicName string = systemTopic.name
