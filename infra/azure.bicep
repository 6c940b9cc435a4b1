// Azure resources of Co-op Claims, deployed by the Agents Toolkit's arm/deploy step (m365agents.yml).
// Every output is written to env/.env.<environment> under the same name (BOT_ID, BOT_DOMAIN, ...).
//
// The app runs as one user-assigned managed identity. It is the bot's identity (Azure Bot,
// msaAppType UserAssignedMSI) and reaches Cosmos DB and Blob storage with Microsoft Entra tokens
// (DefaultAzureCredential with AZURE_CLIENT_ID): no account key or connection string exists in the
// app settings, and key access is switched off on both accounts.
//
// Written for Bicep v0.9 and later (the version m365agents.yml pins): no newer syntax.

@maxLength(20)
@minLength(4)
@description('Prefix of every resource name; globally unique names get a suffix from the resource group.')
param resourceBaseName string

@maxLength(42)
@description('Name of the bot in the Azure portal and the Bot Framework.')
param botDisplayName string = 'Co-op Claims'

param location string = resourceGroup().location

@description('App Service plan SKU (Linux). Scaling out with autoscale rules needs Standard or Premium (S1, P0v3, ...); zone redundancy needs Premium v3.')
param webAppSku string = 'P0v3'

@minValue(1)
@maxValue(30)
@description('Instances the plan runs (and the least autoscale keeps). Every instance is the same stateless app on the same Cosmos DB and Blob account.')
param instanceCount int = 2

@minValue(1)
@maxValue(30)
@description('The most instances autoscale adds (CPU or requests); equal to instanceCount = no autoscale.')
param maxInstanceCount int = 6

@description('Average CPU (percent, over 10 minutes) above which autoscale adds an instance; below a third of it, one is removed.')
param scaleOutCpuPercent int = 70

@description('Requests a minute to the app, all instances together (average over 10 minutes), above which autoscale adds an instance.')
param scaleOutRequestsPerMinute int = 6000

@description('Spread the App Service instances and the Cosmos DB replicas over availability zones (Premium v3 plan, a region with zones; Cosmos DB only when the account is created).')
param zoneRedundant bool = false

@allowed([
  'serverless'
  'autoscale'
])
@description('Cosmos DB capacity: serverless (pay per request, small organisations) or autoscale provisioned throughput shared by the containers. Fixed when the account is created.')
param cosmosCapacityMode string = 'autoscale'

@minValue(1000)
@description('Autoscale: the most RU/s the database scales to (it idles at a tenth of it).')
param cosmosAutoscaleMaxThroughput int = 1000

@allowed([
  'Strong'
  'Session'
])
@description('Strong: a read on any instance sees every write made on any other (reads cost about twice the RU). Session: only within one instance; fine for a single instance.')
param cosmosConsistency string = 'Strong'

@description('App Service runtime stack. The app needs Node 20.19 or later; Node 20 reached end of life in April 2026.')
param linuxFxVersion string = 'NODE|22-lts'

@allowed([
  'F0'
  'S1'
])
param botServiceSku string = 'F0'

@description('Comma-separated Microsoft Entra object ids of the first global admins (BOOTSTRAP_ADMINS).')
param bootstrapAdmins string = ''

@description('Comma-separated tenant ids allowed to use the bot; empty = any (ALLOWED_TENANTS).')
param allowedTenants string = ''

param cosmosDatabaseName string = 'coop-claims'
param blobContainerName string = 'claim-documents'

@description('Days a document blob cannot be changed or deleted after its upload: 24 months after the claim\'s decision, with a year for the time from upload to decision.')
@minValue(730)
param documentRetentionDays int = 1095

var baseName = toLower(resourceBaseName)
var uniqueSuffix = take(uniqueString(resourceGroup().id, baseName), 8)
var containerNames = [
  'claims'
  'funds'
  'users'
  'conversations'
  'uploads'
  'leases'
]
// Built-in role definitions (the same ids in every tenant).
var cosmosDataContributorRoleId = '00000000-0000-0000-0000-000000000002'
var storageBlobDataContributorRoleId = 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
var storageBlobDelegatorRoleId = 'db58b8e5-c6ad-4a2a-8342-4190687cbf4a'

// ---------------------------------------------------------------------------------------------
// Identity

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: '${baseName}-identity'
  location: location
}

// ---------------------------------------------------------------------------------------------
// Monitoring

resource logs 'Microsoft.OperationalInsights/workspaces@2022-10-01' = {
  name: '${baseName}-logs'
  location: location
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: 30
  }
}

resource insights 'Microsoft.Insights/components@2020-02-02' = {
  name: '${baseName}-insights'
  location: location
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logs.id
    IngestionMode: 'LogAnalytics'
  }
}

// ---------------------------------------------------------------------------------------------
// Cosmos DB for NoSQL (serverless or autoscale); every container is partitioned by /tenantId as the code expects

resource cosmos 'Microsoft.DocumentDB/databaseAccounts@2024-11-15' = {
  name: '${baseName}-cosmos-${uniqueSuffix}'
  location: location
  kind: 'GlobalDocumentDB'
  properties: {
    databaseAccountOfferType: 'Standard'
    locations: [
      {
        locationName: location
        failoverPriority: 0
        isZoneRedundant: zoneRedundant
      }
    ]
    // Several instances behind a balancer without session affinity: a user's next turn may land
    // on another instance, whose Cosmos DB session has not seen this one's writes (README, "Scale out").
    consistencyPolicy: {
      defaultConsistencyLevel: cosmosConsistency
    }
    capabilities: cosmosCapacityMode == 'serverless' ? [
      {
        name: 'EnableServerless'
      }
    ] : []
    disableLocalAuth: true
    disableKeyBasedMetadataWriteAccess: true
    minimalTlsVersion: 'Tls12'
    publicNetworkAccess: 'Enabled'
  }
}

resource cosmosDatabase 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases@2024-11-15' = {
  parent: cosmos
  name: cosmosDatabaseName
  properties: {
    resource: {
      id: cosmosDatabaseName
    }
    options: cosmosCapacityMode == 'autoscale' ? {
      autoscaleSettings: {
        maxThroughput: cosmosAutoscaleMaxThroughput
      }
    } : {}
  }
}

resource cosmosContainers 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2024-11-15' = [for name in containerNames: {
  parent: cosmosDatabase
  name: name
  properties: {
    resource: {
      id: name
      partitionKey: {
        paths: [
          '/tenantId'
        ]
        kind: 'Hash'
        version: 2
      }
    }
  }
}]

// Data-plane role: read and write items of every container (no keys, no control-plane rights).
resource cosmosDataContributor 'Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments@2024-11-15' = {
  parent: cosmos
  name: guid(cosmos.id, identity.id, cosmosDataContributorRoleId)
  properties: {
    roleDefinitionId: '${cosmos.id}/sqlRoleDefinitions/${cosmosDataContributorRoleId}'
    principalId: identity.properties.principalId
    scope: cosmos.id
  }
}

// ---------------------------------------------------------------------------------------------
// Blob storage: private container for claim documents

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: 'st${uniqueString(resourceGroup().id, baseName)}'
  location: location
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    accessTier: 'Hot'
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: 'Enabled'
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: storage
  name: 'default'
  properties: {
    deleteRetentionPolicy: {
      enabled: true
      days: 7
    }
    containerDeleteRetentionPolicy: {
      enabled: true
      days: 7
    }
    // Every overwrite or delete keeps the previous version: proof cannot be lost by a bad write.
    isVersioningEnabled: true
  }
}

resource documents 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: blobContainerName
  properties: {
    publicAccess: 'None'
  }
}

// Proof is kept at least 24 months after a claim's decision: a time-based retention policy (WORM)
// counted from each blob's creation, with a margin for the time from upload to decision. Left
// unlocked so that a test deployment can be removed; lock it in production (az storage container
// immutability-policy lock), after which it can only be extended.
resource documentsRetention 'Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies@2023-05-01' = {
  parent: documents
  name: 'default'
  properties: {
    immutabilityPeriodSinceCreationInDays: documentRetentionDays
    allowProtectedAppendWrites: false
  }
}

// Exports (export CLM-…, export fund …) are copies made on request: their own container, removed
// after a week by the lifecycle rules below.
resource exports 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: '${blobContainerName}-exports'
  properties: {
    publicAccess: 'None'
  }
}

// Tiering: documents are read while a claim is worked on, rarely after. Never Archive: an Open
// link to an archived blob would fail until it is rehydrated.
resource lifecycle 'Microsoft.Storage/storageAccounts/managementPolicies@2023-05-01' = {
  parent: storage
  name: 'default'
  properties: {
    policy: {
      rules: [
        {
          name: 'documents-tiering'
          enabled: true
          type: 'Lifecycle'
          definition: {
            filters: {
              blobTypes: [ 'blockBlob' ]
              prefixMatch: [ '${blobContainerName}/' ]
            }
            actions: {
              baseBlob: {
                tierToCool: { daysAfterModificationGreaterThan: 30 }
                tierToCold: { daysAfterModificationGreaterThan: 180 }
              }
              version: {
                tierToCool: { daysAfterCreationGreaterThan: 30 }
                tierToCold: { daysAfterCreationGreaterThan: 180 }
              }
            }
          }
        }
        {
          name: 'exports-expiry'
          enabled: true
          type: 'Lifecycle'
          definition: {
            filters: {
              blobTypes: [ 'blockBlob' ]
              prefixMatch: [ '${blobContainerName}-exports/' ]
            }
            actions: {
              baseBlob: {
                delete: { daysAfterModificationGreaterThan: 7 }
              }
              version: {
                delete: { daysAfterCreationGreaterThan: 7 }
              }
            }
          }
        }
      ]
    }
  }
}

// Write exports and read them through signed links, on that container only.
resource exportsDataContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: exports
  name: guid(exports.id, identity.id, storageBlobDataContributorRoleId)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataContributorRoleId)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// Read and write the documents, on that container only.
resource blobDataContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: documents
  name: guid(documents.id, identity.id, storageBlobDataContributorRoleId)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataContributorRoleId)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// Get a user delegation key (account scope) to sign short-lived read links (user delegation SAS).
resource blobDelegator 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: storage
  name: guid(storage.id, identity.id, storageBlobDelegatorRoleId)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDelegatorRoleId)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// ---------------------------------------------------------------------------------------------
// App Service (Linux) hosting the bot

resource serverfarm 'Microsoft.Web/serverfarms@2022-09-01' = {
  name: '${baseName}-plan'
  location: location
  kind: 'linux'
  sku: {
    name: webAppSku
    capacity: instanceCount
  }
  properties: {
    reserved: true
    zoneRedundant: zoneRedundant
  }
}

// Autoscale of the plan: one more instance when CPU or requests run high, one fewer when CPU is
// low, never fewer than instanceCount. Instances keep no state of their own (README, "Scale out").
resource autoscale 'Microsoft.Insights/autoscalesettings@2022-10-01' = if (maxInstanceCount > instanceCount) {
  name: '${baseName}-autoscale'
  location: location
  properties: {
    enabled: true
    targetResourceUri: serverfarm.id
    profiles: [
      {
        name: 'cpu-and-requests'
        capacity: {
          minimum: string(instanceCount)
          maximum: string(maxInstanceCount)
          default: string(instanceCount)
        }
        rules: [
          {
            metricTrigger: {
              metricName: 'CpuPercentage'
              metricNamespace: 'microsoft.web/serverfarms'
              metricResourceUri: serverfarm.id
              timeGrain: 'PT1M'
              statistic: 'Average'
              timeWindow: 'PT10M'
              timeAggregation: 'Average'
              operator: 'GreaterThan'
              threshold: scaleOutCpuPercent
            }
            scaleAction: {
              direction: 'Increase'
              type: 'ChangeCount'
              value: '1'
              cooldown: 'PT5M'
            }
          }
          {
            metricTrigger: {
              metricName: 'Requests'
              metricNamespace: 'microsoft.web/sites'
              metricResourceUri: webApp.id
              timeGrain: 'PT1M'
              statistic: 'Sum'
              timeWindow: 'PT10M'
              timeAggregation: 'Average'
              operator: 'GreaterThan'
              threshold: scaleOutRequestsPerMinute
            }
            scaleAction: {
              direction: 'Increase'
              type: 'ChangeCount'
              value: '1'
              cooldown: 'PT5M'
            }
          }
          {
            metricTrigger: {
              metricName: 'CpuPercentage'
              metricNamespace: 'microsoft.web/serverfarms'
              metricResourceUri: serverfarm.id
              timeGrain: 'PT1M'
              statistic: 'Average'
              timeWindow: 'PT20M'
              timeAggregation: 'Average'
              operator: 'LessThan'
              threshold: scaleOutCpuPercent / 3
            }
            scaleAction: {
              direction: 'Decrease'
              type: 'ChangeCount'
              value: '1'
              cooldown: 'PT15M'
            }
          }
        ]
      }
    ]
  }
}

resource webApp 'Microsoft.Web/sites@2022-09-01' = {
  name: '${baseName}-${uniqueSuffix}'
  location: location
  kind: 'app,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  properties: {
    serverFarmId: serverfarm.id
    httpsOnly: true
    siteConfig: {
      linuxFxVersion: linuxFxVersion
      appCommandLine: 'npm start'
      alwaysOn: true
      http20Enabled: true
      ftpsState: 'Disabled'
      minTlsVersion: '1.2'
      // Instances whose Cosmos DB or Blob storage is unreachable leave the balancer's rotation.
      healthCheckPath: '/readyz'
      appSettings: [
        {
          name: 'NODE_ENV'
          value: 'production'
        }
        {
          name: 'WEBSITE_RUN_FROM_PACKAGE'
          value: '1'
        }
        {
          name: 'SCM_DO_BUILD_DURING_DEPLOYMENT'
          value: 'false'
        }
        {
          // Instances share the database: every turn reads what it decides on afresh.
          name: 'SCALE_OUT'
          value: 'true'
        }
        {
          name: 'MICROSOFT_APP_ID'
          value: identity.properties.clientId
        }
        {
          name: 'MICROSOFT_APP_TYPE'
          value: 'UserAssignedMSI'
        }
        {
          name: 'MICROSOFT_APP_TENANT_ID'
          value: identity.properties.tenantId
        }
        {
          // DefaultAzureCredential picks the user-assigned identity by this client id.
          name: 'AZURE_CLIENT_ID'
          value: identity.properties.clientId
        }
        {
          name: 'COSMOS_ENDPOINT'
          value: cosmos.properties.documentEndpoint
        }
        {
          name: 'COSMOS_DATABASE'
          value: cosmosDatabaseName
        }
        {
          name: 'STORAGE_ACCOUNT_URL'
          value: storage.properties.primaryEndpoints.blob
        }
        {
          name: 'BLOB_CONTAINER'
          value: blobContainerName
        }
        {
          name: 'BOOTSTRAP_ADMINS'
          value: bootstrapAdmins
        }
        {
          name: 'ALLOWED_TENANTS'
          value: allowedTenants
        }
        {
          name: 'APPLICATIONINSIGHTS_CONNECTION_STRING'
          value: insights.properties.ConnectionString
        }
        {
          name: 'ApplicationInsightsAgent_EXTENSION_VERSION'
          value: '~3'
        }
      ]
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Azure Bot with the Microsoft Teams channel

resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: '${baseName}-bot-${uniqueSuffix}'
  location: 'global'
  kind: 'azurebot'
  sku: {
    name: botServiceSku
  }
  properties: {
    displayName: botDisplayName
    endpoint: 'https://${webApp.properties.defaultHostName}/api/messages'
    msaAppType: 'UserAssignedMSI'
    msaAppId: identity.properties.clientId
    msaAppMSIResourceId: identity.id
    msaAppTenantId: identity.properties.tenantId
  }
}

resource teamsChannel 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
    properties: {
      isEnabled: true
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Outputs: written to env/.env.<environment>; the app package uses BOT_ID and BOT_DOMAIN.

output AZURE_APP_SERVICE_RESOURCE_ID string = webApp.id
output BOT_ID string = identity.properties.clientId
output BOT_TENANT_ID string = identity.properties.tenantId
output BOT_DOMAIN string = webApp.properties.defaultHostName
output BOT_ENDPOINT string = 'https://${webApp.properties.defaultHostName}'
output AZURE_BOT_RESOURCE_ID string = bot.id
output COSMOS_ENDPOINT string = cosmos.properties.documentEndpoint
output STORAGE_ACCOUNT_URL string = storage.properties.primaryEndpoints.blob
