// Address parsing belongs to the envelope values every layer shares (core/envelope/address.ts); this name stays
// for callers written before the move.
export { normalizeDomain, parseAddress, type ParsedAddress } from '../envelope/address.js';
