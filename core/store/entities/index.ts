import { AccessTokenEntity } from './access-token.entity.js';
import { AccountEntity } from './account.entity.js';
import { AdminScopeEntity } from './admin-scope.entity.js';
import { AliasEntity } from './alias.entity.js';
import { AuditLogEntity } from './audit-log.entity.js';
import { DanglingSubscriptionEntity } from './dangling-subscription.entity.js';
import { BlobEntity } from './blob.entity.js';
import { DomainEntity } from './domain.entity.js';
import { ExpungeLogEntity } from './expunge-log.entity.js';
import { LeaseEntity } from './lease.entity.js';
import { MailboxEntity } from './mailbox.entity.js';
import { MessageEntity } from './message.entity.js';
import { OutboundMessageEntity } from './outbound-message.entity.js';
import { SendLogEntity } from './send-log.entity.js';
import { UploadEntity } from './upload.entity.js';
import { PluginDataEntity } from './plugin-data.entity.js';
import { PluginSettingEntity } from './plugin-setting.entity.js';
import { SecondFactorEntity } from './second-factor.entity.js';
import { RecoveryCodeEntity } from './recovery-code.entity.js';
import { DomainSecurityEntity } from './domain-security.entity.js';

export const ENTITIES = [
  DomainEntity,
  AccountEntity,
  AliasEntity,
  MailboxEntity,
  MessageEntity,
  BlobEntity,
  ExpungeLogEntity,
  OutboundMessageEntity,
  AuditLogEntity,
  AccessTokenEntity,
  LeaseEntity,
  AdminScopeEntity,
  DanglingSubscriptionEntity,
  UploadEntity,
  SendLogEntity,
  PluginSettingEntity,
  PluginDataEntity,
  SecondFactorEntity,
  RecoveryCodeEntity,
  DomainSecurityEntity,
];
