import { InitialSchema1764000000000 } from './1764000000000-initial-schema.js';
import { WebmailApi1764100000000 } from './1764100000000-webmail-api.js';
import { SendLog1764200000000 } from './1764200000000-send-log.js';
import { OutboundDsn1764300000000 } from './1764300000000-outbound-dsn.js';
import { RecentMarker1764410000000 } from './1764410000000-recent-marker.js';
import { ImapListingIndexes1764500000000 } from './1764500000000-imap-listing-indexes.js';
import { LoginThrottle1764610000000 } from './1764610000000-login-throttle.js';
import { AdminRoles1764700000000 } from './1764700000000-admin-roles.js';
import { UidValidityCounter1764710000000 } from './1764710000000-uid-validity-counter.js';
import { DanglingSubscriptions1764720000000 } from './1764720000000-dangling-subscriptions.js';
import { PluginTables1765400000001 } from './1765400000001-plugin-tables.js';
import { CrlfSizes1766100000000 } from './1766100000000-crlf-sizes.js';
import { TwoFactor1766400000000 } from './1766400000000-two-factor.js';
import { TokenDetails1766400000001 } from './1766400000001-token-details.js';
import { OutboundLeaseOwner1766300000000 } from './1766300000000-outbound-lease-owner.js';

export const MIGRATIONS = [
  InitialSchema1764000000000,
  WebmailApi1764100000000,
  SendLog1764200000000,
  OutboundDsn1764300000000,
  RecentMarker1764410000000,
  ImapListingIndexes1764500000000,
  LoginThrottle1764610000000,
  AdminRoles1764700000000,
  UidValidityCounter1764710000000,
  DanglingSubscriptions1764720000000,
  PluginTables1765400000001,
  CrlfSizes1766100000000,
  TwoFactor1766400000000,
  TokenDetails1766400000001,
  OutboundLeaseOwner1766300000000,
];
