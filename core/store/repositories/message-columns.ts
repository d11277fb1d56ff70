import type { FindOptionsSelect } from 'typeorm';
import type { MessageEntity } from '../entities/message.entity.js';

type MessageColumn = keyof MessageEntity;

/** The columns of a message that listing and synchronisation need, without the cached structure and text. */
export const MESSAGE_SUMMARY_FIELDS = [
  'id',
  'accountId',
  'mailboxId',
  'uid',
  'modseq',
  'seen',
  'answered',
  'flagged',
  'deleted',
  'draft',
  'keywords',
  'internalDate',
  'size',
  'crlfSize',
  'lineCount',
  'blobId',
  'sentDate',
  'subject',
  'fromAddress',
  'messageIdHeader',
  'preview',
  'hasAttachments',
] as const satisfies readonly MessageColumn[];

/** A summary with the cached structure: what reading a message needs, short of its search text (up to 256 KiB). */
export const MESSAGE_DETAIL_FIELDS = [...MESSAGE_SUMMARY_FIELDS, 'structure'] as const satisfies readonly MessageColumn[];

/** Every column a new row is written with: all of them but the generated id. */
export const MESSAGE_INSERT_FIELDS = [
  ...MESSAGE_DETAIL_FIELDS.filter((column): column is Exclude<(typeof MESSAGE_DETAIL_FIELDS)[number], 'id'> => column !== 'id'),
  'searchText',
] as const satisfies readonly MessageColumn[];

/** A TypeORM `select` of the given columns. */
function selectOf(columns: readonly MessageColumn[]): FindOptionsSelect<MessageEntity> {
  return Object.fromEntries(columns.map((column) => [column, true]));
}

export const MESSAGE_SUMMARY_COLUMNS = selectOf(MESSAGE_SUMMARY_FIELDS);
export const MESSAGE_DETAIL_COLUMNS = selectOf(MESSAGE_DETAIL_FIELDS);
