#!/bin/sh
# azd postdeploy: stage 2 of the deployment. The function now exists, so Event Grid can validate it as the
# AzureFunction destination; connect every watched subscription's system topic to it.
# azd exports the outputs of infra/main.bicep as environment variables.
set -eu
: "${AZURE_LOCATION:?run through azd (azd up / azd deploy)}"
: "${FUNCTION_APP_ID:?missing output FUNCTION_APP_ID}"
: "${WATCHED_SUBSCRIPTION_IDS:?missing output WATCHED_SUBSCRIPTION_IDS}"

ids_json=$(printf '%s' "$WATCHED_SUBSCRIPTION_IDS" | awk -F, '{ printf "["; for (i = 1; i <= NF; i++) printf "%s\"%s\"", (i > 1 ? "," : ""), $i; printf "]" }')

echo "Connecting event subscriptions for: $WATCHED_SUBSCRIPTION_IDS"
az deployment sub create \
  --name "responder-events-${AZURE_ENV_NAME:-default}" \
  --location "$AZURE_LOCATION" \
  --template-file infra/events.bicep \
  --parameters \
    watchedSubscriptionIds="$ids_json" \
    eventsResourceGroupName="$EVENTS_RESOURCE_GROUP" \
    functionAppId="$FUNCTION_APP_ID" \
    functionName="$FUNCTION_NAME" \
    identityResourceId="$IDENTITY_RESOURCE_ID" \
    deadLetterStorageId="$STORAGE_ACCOUNT_ID" \
    deadLetterContainerName="$DEAD_LETTER_CONTAINER" \
  --output none

echo "Event subscriptions deployed. Check the wiring with: npx unregister-responder doctor --live"
