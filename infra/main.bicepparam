// Parameters for `az deployment sub create -f infra/main.bicep -p infra/main.bicepparam`.
// azd fills the AZURE_* values from the environment (`azd env set WATCHED_SUBSCRIPTION_IDS id1,id2`).
using './main.bicep'

param environmentName = readEnvironmentVariable('AZURE_ENV_NAME', 'unregresp')
param location = readEnvironmentVariable('AZURE_LOCATION', 'westeurope')
param watchedSubscriptionIds = split(readEnvironmentVariable('WATCHED_SUBSCRIPTION_IDS', readEnvironmentVariable('AZURE_SUBSCRIPTION_ID', '')), ',')
param mode = readEnvironmentVariable('MODE', 'flag')
param enableRestore = bool(readEnvironmentVariable('ENABLE_RESTORE', 'false'))
param protectedPrincipalIds = readEnvironmentVariable('PROTECTED_PRINCIPAL_IDS', '')
param grantGraphPermissions = bool(readEnvironmentVariable('GRANT_GRAPH_PERMISSIONS', 'false'))
param deployEventSubscriptions = bool(readEnvironmentVariable('DEPLOY_EVENT_SUBSCRIPTIONS', 'false'))
