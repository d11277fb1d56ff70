import { Column, Entity, PrimaryColumn } from 'typeorm';
import { booleanColumn } from '../column-types.js';

/** A domain's sign-in policy; a domain without a row has the defaults. */
@Entity('domain_security')
export class DomainSecurityEntity {
  @PrimaryColumn({ type: 'integer' })
  domainId: number;

  /** Users of the domain must enrol a second factor before their web or app session may do anything else. */
  @Column({ type: 'boolean', default: false, transformer: booleanColumn })
  requireTwoFactor: boolean;
}
