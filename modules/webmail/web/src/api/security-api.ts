import { graphql } from './graphql-client.js';

export interface TwoFactorStatus {
  enabled: boolean;
  required: boolean;
  recoveryCodesLeft: number;
}

export interface DeviceSession {
  id: string;
  label: string;
  lastSeenAt: string;
  address: string;
  userAgent: string;
  current: boolean;
}

const SESSIONS = `query Sessions { deviceSessions { id label lastSeenAt address userAgent current } }`;
const END_SESSION = `mutation EndSession($id: ID!) { revokeDeviceSession(id: $id) }`;
const STATUS = `query TwoFactor { twoFactor { enabled required recoveryCodesLeft } }`;
const BEGIN = `mutation BeginTwoFactor($password: String!) { beginTwoFactorEnrolment(password: $password) { secret uri } }`;
const CONFIRM = `mutation ConfirmTwoFactor($code: String!) { confirmTwoFactor(code: $code) }`;
const REGENERATE = `mutation RegenerateRecoveryCodes($code: String!) { regenerateRecoveryCodes(code: $code) }`;
const DISABLE = `mutation DisableTwoFactor($password: String!, $code: String!) { disableTwoFactor(password: $password, code: $code) }`;

/** The signed-in user's two-factor sign-in, through the GraphQL API. */
export const securityApi = {
  status: async () => (await graphql<{ twoFactor: TwoFactorStatus }>(STATUS)).twoFactor,
  begin: async (password: string) =>
    (await graphql<{ beginTwoFactorEnrolment: { secret: string; uri: string } }>(BEGIN, { password })).beginTwoFactorEnrolment,
  confirm: async (code: string) => (await graphql<{ confirmTwoFactor: string[] }>(CONFIRM, { code })).confirmTwoFactor,
  regenerate: async (code: string) => (await graphql<{ regenerateRecoveryCodes: string[] }>(REGENERATE, { code })).regenerateRecoveryCodes,
  disable: async (password: string, code: string) => {
    await graphql<{ disableTwoFactor: boolean }>(DISABLE, { password, code });
  },
  sessions: async () => (await graphql<{ deviceSessions: DeviceSession[] }>(SESSIONS)).deviceSessions,
  endSession: async (id: string) => {
    await graphql<{ revokeDeviceSession: boolean }>(END_SESSION, { id });
  },
};
