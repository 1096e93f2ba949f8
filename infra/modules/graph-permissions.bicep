// Microsoft Graph application permissions for the responder's identity, through the Microsoft Graph
// Bicep extension (bicepconfig.json). The deployer needs AppRoleAssignment.ReadWrite.All and
// Application.Read.All (in practice: Privileged Role Administrator). The az CLI alternative is in
// infra/README.md.
extension microsoftGraphV1

@description('Object id of the identity\'s service principal (the UAMI principalId).')
param principalId string

// App-role ids of Microsoft Graph (reference §6.5), hard-coded so the grant does not depend on a lookup.
var appRoleIds = {
  'Directory.Read.All': '7ab1d382-f21e-4acd-a863-ba3e13f7da61'
  'Application.Read.All': '9a5d68dd-52b0-4cc2-bd40-abcf44ac3a30'
}

resource graph 'Microsoft.Graph/servicePrincipals@v1.0' existing = {
  appId: '00000003-0000-0000-c000-000000000000'
}

// Directory.Read.All: directoryObjects/getByIds (resolve principals, guests, foreign service principals).
resource directoryRead 'Microsoft.Graph/appRoleAssignedTo@v1.0' = {
  appRoleId: appRoleIds['Directory.Read.All']
  principalId: principalId
  resourceId: graph.id
}

// Application.Read.All: applications and their credentials (SP-NEW-CREDENTIAL).
resource applicationRead 'Microsoft.Graph/appRoleAssignedTo@v1.0' = {
  appRoleId: appRoleIds['Application.Read.All']
  principalId: principalId
  resourceId: graph.id
}
