import { extractSubject, type ExtractedSubject } from './base-subject.js';

/** What threading reads of a message; `order` (the sequence number) breaks ties between equal sent dates. */
export interface ThreadMessage<T> {
  item: T;
  order: number;
  /** Date header, else the internal date (RFC 5256 §2.2). */
  sentDate: number;
  /** Undecoded or decoded Subject field; the base subject is extracted here. */
  subject: string | null;
  messageId: string | null;
  references: readonly string[];
  inReplyTo: string | null;
}

/** A thread tree node; `message` is null for a dummy that only holds its children together. */
export interface ThreadNode<T> {
  message: ThreadMessage<T> | null;
  children: ThreadNode<T>[];
}

/** RFC 5322 msg-id: `<left@right>`. */
const MESSAGE_ID = /<[^<>\s@]+@[^<>\s]+>/;

/** The first msg-id in a field (comments and stray text around it ignored), or null when it holds none. */
function validId(value: string | null): string | null {
  return value ? (MESSAGE_ID.exec(value)?.[0] ?? null) : null;
}

/** RFC 5256 ORDEREDSUBJECT: groups by base subject, each under its earliest message; groups in date order. */
export function orderedSubjectThreads<T>(messages: readonly ThreadMessage<T>[]): ThreadNode<T>[] {
  const groups = new Map<string, ThreadMessage<T>[]>();
  for (const message of [...messages].sort(compareMessages)) {
    const subject = extractSubject(message.subject).base;
    const group = groups.get(subject);
    if (group) group.push(message);
    else groups.set(subject, [message]);
  }
  return [...groups.values()].map(([first, ...rest]) => ({ message: first, children: rest.map((message) => ({ message, children: [] })) }));
}

interface Container<T> {
  message: ThreadMessage<T> | null;
  parent: Container<T> | null;
  children: Container<T>[];
}

/** RFC 5256 §3 REFERENCES; `messages` in sequence order. */
export function referenceThreads<T>(messages: readonly ThreadMessage<T>[]): ThreadNode<T>[] {
  const pruned = prune(linkByReferences(messages));
  // Step 4: the threads in date order; a dummy counts with its earliest child.
  for (const node of pruned) if (node.message === null) node.children.sort(compareNodes);
  pruned.sort(compareNodes);
  const merged = mergeBySubject(pruned);
  // Step 6: every set of siblings in date order; children before their parents, as a dummy sorts by its first child.
  for (const node of descendants(merged)) node.children.sort(compareNodes);
  merged.sort(compareNodes);
  return merged;
}

/** Step 1 (the message-ID table and its parent/child links) and step 2 (the root set). */
function linkByReferences<T>(messages: readonly ThreadMessage<T>[]): Container<T>[] {
  const table = new Map<string, Container<T>>();
  const all: Container<T>[] = [];
  const create = (): Container<T> => {
    const made: Container<T> = { message: null, parent: null, children: [] };
    all.push(made);
    return made;
  };
  const byId = (id: string): Container<T> => {
    let found = table.get(id);
    if (!found) {
      found = create();
      table.set(id, found);
    }
    return found;
  };
  for (const message of messages) {
    const id = validId(message.messageId);
    // A message without a valid Message-ID, or repeating one already used, gets an ID of its own.
    const existing = id ? table.get(id) : undefined;
    const own = id && !existing?.message ? byId(id) : create();
    own.message = message;
    // References first; In-Reply-To only when References holds no valid ID (§3 step 1).
    let references = message.references.map(validId).filter((ref): ref is string => ref !== null);
    if (references.length === 0) {
      const reply = validId(message.inReplyTo);
      if (reply) references = [reply];
    }
    // Step 1A: each reference the parent of the next, unless already linked or the link would close a loop.
    for (let i = 1; i < references.length; i++) {
      const parent = byId(references[i - 1]);
      const child = byId(references[i]);
      if (child.parent === null && !wouldLoop(parent, child)) attach(parent, child);
    }
    // Step 1B: the message's own References win over a link made from another message's (truncated) ones.
    if (own.parent) detach(own);
    const last = references[references.length - 1];
    if (last !== undefined) {
      const parent = byId(last);
      if (!wouldLoop(parent, own)) attach(parent, own);
    }
  }
  return all.filter((item) => item.parent === null);
}

/** Whether making `child` a child of `parent` would close a loop: `parent` is `child` or below it. */
function wouldLoop<T>(parent: Container<T>, child: Container<T>): boolean {
  // Nothing hangs below a childless container: the common case (a new message) costs no walk up a long thread.
  if (child.children.length === 0) return parent === child;
  for (let node: Container<T> | null = parent; node; node = node.parent) if (node === child) return true;
  return false;
}

function attach<T>(parent: Container<T>, child: Container<T>): void {
  child.parent = parent;
  parent.children.push(child);
}

function detach<T>(child: Container<T>): void {
  const parent = child.parent;
  if (!parent) return;
  parent.children.splice(parent.children.indexOf(child), 1);
  child.parent = null;
}

/**
 * Step 3: dummies without children go; a dummy's children take its place, except that several children are
 * not promoted to the root level (the dummy stays and holds them). Post-order without recursion, so that a
 * reply chain thousands deep does not exhaust the stack.
 */
function prune<T>(roots: readonly Container<T>[]): ThreadNode<T>[] {
  const replaced = new Map<Container<T>, ThreadNode<T>[]>();
  const stack = roots.map((container) => ({ container, opened: false })).reverse();
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    const container = top.container;
    if (!top.opened) {
      top.opened = true;
      for (let i = container.children.length - 1; i >= 0; i--) stack.push({ container: container.children[i], opened: false });
      continue;
    }
    stack.pop();
    const children: ThreadNode<T>[] = [];
    for (const child of container.children) {
      // A loop, not push(...): a spread of 200,000 siblings overflows the stack.
      for (const node of replaced.get(child)!) children.push(node);
      replaced.delete(child);
    }
    if (container.message) replaced.set(container, [{ message: container.message, children }]);
    else if (container.parent !== null || children.length === 1) replaced.set(container, children);
    else replaced.set(container, children.length === 0 ? [] : [{ message: null, children }]);
  }
  return roots.flatMap((root) => replaced.get(root)!);
}

/** Every node below the roots, without recursion. */
function descendants<T>(roots: readonly ThreadNode<T>[]): ThreadNode<T>[] {
  const result: ThreadNode<T>[] = [];
  const stack = [...roots];
  while (stack.length > 0) {
    const node = stack.pop()!;
    result.push(node);
    for (const child of node.children) stack.push(child);
  }
  return result;
}

/** Step 5: root-level threads whose subjects have the same base subject become one thread. */
function mergeBySubject<T>(roots: readonly ThreadNode<T>[]): ThreadNode<T>[] {
  const extracted = new Map<ThreadMessage<T>, ExtractedSubject>();
  const subjectOfMessage = (message: ThreadMessage<T>) => {
    let found = extracted.get(message);
    if (!found) {
      found = extractSubject(message.subject);
      extracted.set(message, found);
    }
    return found;
  };
  // A dummy takes the subject of its first child (sorted in step 4).
  const threadSubject = (node: ThreadNode<T>) => subjectOfMessage(representative(node)).base;
  const isReply = (node: ThreadNode<T>) => node.message !== null && subjectOfMessage(node.message).replyOrForward;
  const table = new Map<string, ThreadNode<T>>();
  // 5B: one thread per subject; a dummy wins over a message, a message that is not a reply over a reply.
  for (const node of roots) {
    const subject = threadSubject(node);
    if (subject === '') continue;
    const held = table.get(subject);
    if (!held) table.set(subject, node);
    else if (held.message !== null && (node.message === null || (isReply(held) && !isReply(node)))) table.set(subject, node);
  }
  // 5C: the others merge into it.
  const result: ThreadNode<T>[] = [];
  const kept = new Set<ThreadNode<T>>();
  const keep = (node: ThreadNode<T>) => {
    if (kept.has(node)) return;
    kept.add(node);
    result.push(node);
  };
  const absorbed = new Set<ThreadNode<T>>();
  for (const node of roots) {
    if (absorbed.has(node)) continue;
    const subject = threadSubject(node);
    const held = subject === '' ? undefined : table.get(subject);
    if (!held || held === node) {
      keep(node);
    } else if (held.message === null && node.message === null) {
      for (const child of node.children) held.children.push(child);
      keep(held);
    } else if (held.message === null || (isReply(node) && !isReply(held))) {
      held.children.push(node);
      keep(held);
    } else {
      const dummy: ThreadNode<T> = { message: null, children: [held, node] };
      absorbed.add(held);
      table.set(subject, dummy);
      keep(dummy);
    }
  }
  return result.filter((node) => !absorbed.has(node));
}

/** Siblings by sent date, the sequence number breaking ties; a dummy sorts as its earliest child. */
function compareNodes<T>(a: ThreadNode<T>, b: ThreadNode<T>): number {
  return compareMessages(representative(a), representative(b));
}

function representative<T>(node: ThreadNode<T>): ThreadMessage<T> {
  let current = node;
  while (current.message === null && current.children.length > 0) current = current.children[0];
  return current.message!;
}

function compareMessages<T>(a: ThreadMessage<T>, b: ThreadMessage<T>): number {
  return a.sentDate - b.sentDate || a.order - b.order;
}

/** RFC 5256 §4 thread-list text: `(1 2 (3)(4))(5)`; `number` picks sequence number or UID. */
export function formatThreads<T>(roots: readonly ThreadNode<T>[], number: (item: T) => number): string {
  let text = '';
  // Nodes to write and text to append, last first: deep threads need no recursion.
  const tasks: (ThreadNode<T> | string)[] = [];
  for (let i = roots.length - 1; i >= 0; i--) tasks.push(')', roots[i], '(');
  while (tasks.length > 0) {
    const task = tasks.pop()!;
    if (typeof task === 'string') {
      text += task;
      continue;
    }
    const head = task.message ? String(number(task.message.item)) : '';
    text += head;
    if (task.children.length === 0) continue;
    if (head) text += ' ';
    // A single reply continues the same list; several open one list each.
    if (task.children.length === 1 && task.message) tasks.push(task.children[0]);
    else for (let i = task.children.length - 1; i >= 0; i--) tasks.push(')', task.children[i], '(');
  }
  return text;
}
