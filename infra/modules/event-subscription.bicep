// The event subscription from one watched subscription's system topic to the responder function.
// Deployed only after the function code exists (events.bicep), else Event Grid's endpoint validation fails.
param functionAppId string
param functionName string
param identityResourceId string
param deadLetterStorageId string
param deadLetterContainerName string

resource systemTopic 'Microsoft.EventGrid/systemTopics@2025-02-15' existing = {
  name: 'evgt-sub-${subscription().subscriptionId}'
}

resource toResponder 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2025-02-15' = {
  parent: systemTopic
  name: 'unregister-responder'
  properties: {
    eventDeliverySchema: 'EventGridSchema'
    destination: {
      endpointType: 'AzureFunction'
      properties: {
        resourceId: '${functionAppId}/functions/${functionName}'
        maxEventsPerBatch: 1
        preferredBatchSizeInKilobytes: 64
      }
    }
    filter: {
      // Outcome events only (Event Grid never sends Started rows); Failure and Cancel matter too:
      // a failed unregister attempt is still a signal.
      includedEventTypes: [
        'Microsoft.Resources.ResourceActionSuccess'
        'Microsoft.Resources.ResourceActionFailure'
        'Microsoft.Resources.ResourceActionCancel'
        'Microsoft.Resources.ResourceWriteSuccess'
        'Microsoft.Resources.ResourceWriteFailure'
        'Microsoft.Resources.ResourceWriteCancel'
        'Microsoft.Resources.ResourceDeleteSuccess'
        'Microsoft.Resources.ResourceDeleteFailure'
        'Microsoft.Resources.ResourceDeleteCancel'
      ]
      // String operators ignore case, which matters: providers spell operationName differently
      // (Microsoft.Insights/Unregister/Action). Values in one filter are ORed: 3 of the 25 allowed.
      // '/unregister/action' also matches Microsoft.Features/providers/features/unregister/action.
      advancedFilters: [
        {
          operatorType: 'StringEndsWith'
          key: 'data.operationName'
          values: [
            '/unregister/action'
            '/roleAssignments/write'
            '/roleAssignments/delete'
          ]
        }
      ]
    }
    // Transient failures throw in the function, so Event Grid redelivers; after 10 attempts or a day
    // the event is dead-lettered, and `unregister-responder replay` can re-run the blob.
    retryPolicy: {
      maxDeliveryAttempts: 10
      eventTimeToLiveInMinutes: 1440
    }
    deadLetterWithResourceIdentity: {
      identity: {
        type: 'UserAssigned'
        userAssignedIdentity: identityResourceId
      }
      deadLetterDestination: {
        endpointType: 'StorageBlob'
        properties: {
          resourceId: deadLetterStorageId
          blobContainerName: deadLetterContainerName
        }
      }
    }
  }
}

output eventSubscriptionId string = toResponder.id
