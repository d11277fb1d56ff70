import { Entity, PrimaryColumn } from 'typeorm';

/** An address a department list with the `senders` policy admits (beside the department's managers). */
@Entity('org_list_senders')
export class ListSenderEntity {
  @PrimaryColumn({ type: 'integer' })
  departmentId: number;

  @PrimaryColumn({ type: 'varchar', length: 320 })
  address: string;
}
