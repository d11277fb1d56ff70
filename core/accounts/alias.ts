/** An alias (one target) or distribution list (several targets) as services hand it out. */
export interface Alias {
  id: number;
  /** Normalized address. */
  address: string;
  domainId: number;
  /** Normalized target addresses. */
  targets: string[];
  createdAt: number;
}
