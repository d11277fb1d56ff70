/** A hosted domain as services hand it out. */
export interface Domain {
  id: number;
  /** Lower-case ASCII (punycode) name. */
  name: string;
  /** The address that takes mail for unknown local parts, or null. */
  catchAll: string | null;
  dkimSelector: string;
  /** PEM (PKCS#8) key that signs the domain's outgoing mail; null when signing is off. */
  dkimPrivateKey: string | null;
  createdAt: number;
}
