import { activity } from '../events/activity-events.js';
import { logMessageEvent } from '../logging/message-event.js';
import type { SmtpSessionState } from './smtp-session.js';
import type { SmtpReply } from './smtp-reply.js';

/**
 * A recipient or a message refused at the SMTP door: one log line (`NOQUEUE: ... status=refused (550 ...)`, as Postfix
 * logs a reject) and the activity event that WebAdmin counts.
 */
export function reportRefusal(state: SmtpSessionState, recipients: readonly string[], reply: SmtpReply, size?: number): void {
  logMessageEvent(state.log, {
    event: 'refused',
    from: state.sender,
    to: recipients,
    size,
    client: state.remoteAddress,
    status: `${reply.code} ${reply.enhanced} ${reply.text}`,
  });
  activity.emit('mail.refused', { sender: state.sender, recipients: [...recipients], reply: `${reply.code} ${reply.text}` });
}
