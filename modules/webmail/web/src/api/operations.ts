// Every GraphQL operation the client sends; names as fixed in schema.gql.
const SUMMARY =
  'id mailboxId threadId subject from { name address } to { name address } date seen flagged answered hasAttachments preview size';
const MAILBOX = 'id name path parentId specialUse unreadCount totalCount';

export const WEB_LOGIN = `mutation WebLogin($email: String!, $password: String!, $code: String) {
  webLogin(email: $email, password: $password, code: $code) { csrfToken expiresAt account { id address displayName } } }`;

export const LOGOUT = 'mutation Logout { logout }';

export const ME = 'query Me { me { id address displayName } }';

export const MAILBOXES = `query Mailboxes { mailboxes { ${MAILBOX} } }`;

export const MESSAGES = `query Messages($mailboxId: ID!, $first: Int, $after: String, $query: String, $sort: MessageSort) {
  messages(mailboxId: $mailboxId, first: $first, after: $after, query: $query, sort: $sort) {
    nodes { ${SUMMARY} } pageInfo { hasNextPage endCursor } totalCount } }`;

export const MESSAGE = `query Message($id: ID!, $remote: Boolean!) {
  message(id: $id) { ${SUMMARY} cc { name address } bcc { name address } replyTo { name address } inReplyTo text html(allowRemoteImages: $remote)
    messageId references attachments { id filename contentType size contentId url } } }`;

export const SET_FLAGS = `mutation SetFlags($input: SetFlagsInput!) { setFlags(input: $input) { id seen flagged } }`;

export const MOVE = `mutation Move($ids: [ID!]!, $mailboxId: ID!) { moveMessages(ids: $ids, mailboxId: $mailboxId) { id } }`;

export const DELETE = 'mutation Delete($ids: [ID!]!) { deleteMessages(ids: $ids) }';

export const SEND = `mutation Send($input: SendMessageInput!) { sendMessage(input: $input) { id } }`;

export const SAVE_DRAFT = `mutation SaveDraft($input: DraftInput!) { saveDraft(input: $input) { id } }`;

export const CREATE_MAILBOX = `mutation CreateMailbox($name: String!, $parentId: ID) { createMailbox(name: $name, parentId: $parentId) { id } }`;

export const RENAME_MAILBOX = `mutation RenameMailbox($id: ID!, $name: String!) { renameMailbox(id: $id, name: $name) { id } }`;

export const DELETE_MAILBOX = 'mutation DeleteMailbox($id: ID!) { deleteMailbox(id: $id) }';

export const MARK_MAILBOX_READ = `mutation MarkRead($id: ID!) { markMailboxRead(id: $id) { id } }`;

export const MAIL_EVENTS = 'subscription MailEvents { mailEvents { type mailboxId messageId } }';
