# azd postdeploy (Windows): same as postdeploy.sh. The function exists now, so the event subscriptions
# can be created with it as their AzureFunction destination.
$ErrorActionPreference = 'Stop'
if (-not $env:FUNCTION_APP_ID) { throw 'missing output FUNCTION_APP_ID: run through azd (azd up / azd deploy)' }
$ids = ($env:WATCHED_SUBSCRIPTION_IDS -split ',' | ForEach-Object { '"' + $_ + '"' }) -join ','
az deployment sub create `
  --name "responder-events-$($env:AZURE_ENV_NAME)" `
  --location $env:AZURE_LOCATION `
  --template-file infra/events.bicep `
  --parameters watchedSubscriptionIds="[$ids]" eventsResourceGroupName=$env:EVENTS_RESOURCE_GROUP `
    functionAppId=$env:FUNCTION_APP_ID functionName=$env:FUNCTION_NAME identityResourceId=$env:IDENTITY_RESOURCE_ID `
    deadLetterStorageId=$env:STORAGE_ACCOUNT_ID deadLetterContainerName=$env:DEAD_LETTER_CONTAINER `
  --output none
if ($LASTEXITCODE -ne 0) { throw "event subscription deployment failed ($LASTEXITCODE)" }
Write-Host 'Event subscriptions deployed. Check the wiring with: npx unregister-responder doctor --live'
