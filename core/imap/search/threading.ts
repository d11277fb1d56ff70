import type { SearchCandidate } from './search-evaluator.js';
import { baseSubject } from './base-subject.js';

/** A thread tree node; `message` is null for a message that is referenced but not in the result. */
export interface ThreadNode {
  message: SearchCandidate | null;
  children: ThreadNode[];
}

/** RFC 5256 ORDEREDSUBJECT: messages grouped by base subject, each group under its earliest message. */
export function orderedSubjectThreads(messages: readonly SearchCandidate[]): ThreadNode[] {
  const groups = new Map<string, SearchCandidate[]>();
  for (const message of [...messages].sort(byDate)) {
    const subject = baseSubject(message.detail?.structure.envelope.subject ?? null);
    const group = groups.get(subject) ?? [];
    group.push(message);
    groups.set(subject, group);
  }
  return [...groups.values()].map(([first, ...rest]) => ({ message: first, children: rest.map((message) => ({ message, children: [] })) }));
}

/**
 * RFC 5256 REFERENCES, in its essentials: parents from References/In-Reply-To (loops refused), empty
 * containers pruned, roots of the same base subject joined, siblings and threads in date order.
 */
export function referenceThreads(messages: readonly SearchCandidate[]): ThreadNode[] {
  interface Container { id: string; message: SearchCandidate | null; parent: Container | null; children: Container[] }
  const byId = new Map<string, Container>();
  const container = (id: string): Container => {
    let found = byId.get(id);
    if (!found) {
      found = { id, message: null, parent: null, children: [] };
      byId.set(id, found);
    }
    return found;
  };
  const isAncestor = (candidate: Container, of: Container): boolean => {
    for (let node: Container | null = of; node; node = node.parent) if (node === candidate) return true;
    return false;
  };
  const link = (parent: Container, child: Container) => {
    if (child.parent || parent === child || isAncestor(child, parent)) return;
    child.parent = parent;
    parent.children.push(child);
  };
  let unique = 0;
  for (const message of messages) {
    const structure = message.detail?.structure;
    const ownId = structure?.envelope.messageId ?? '';
    let own = ownId ? container(ownId) : null;
    if (!own || own.message) own = container(`<unique-${unique++}>`);
    own.message = message;
    const refs = [...(structure?.references ?? [])];
    if (structure?.inReplyTo && !refs.includes(structure.inReplyTo)) refs.push(structure.inReplyTo);
    for (let i = 1; i < refs.length; i++) link(container(refs[i - 1]), container(refs[i]));
    const parentId = refs[refs.length - 1];
    if (parentId && own.parent === null) link(container(parentId), own);
  }
  const toNode = (item: Container): ThreadNode[] => {
    const children = item.children.flatMap(toNode);
    if (item.message) return [{ message: item.message, children }];
    // An empty container keeps its place only when it holds several children (RFC 5256 step 4).
    return children.length > 1 ? [{ message: null, children }] : children;
  };
  let roots = [...byId.values()].filter((item) => item.parent === null).flatMap(toNode);
  // Step 5: roots whose base subjects agree become one thread.
  const bySubject = new Map<string, ThreadNode>();
  const merged: ThreadNode[] = [];
  for (const root of roots.sort((a, b) => earliest(a) - earliest(b))) {
    const subject = baseSubject(firstMessage(root)?.detail?.structure.envelope.subject ?? null);
    const existing = subject ? bySubject.get(subject) : undefined;
    if (!existing) {
      if (subject) bySubject.set(subject, root);
      merged.push(root);
    } else if (existing.message === null) {
      existing.children.push(root);
    } else {
      const index = merged.indexOf(existing);
      const holder: ThreadNode = { message: null, children: [existing, root] };
      merged[index] = holder;
      bySubject.set(subject, holder);
    }
  }
  roots = merged;
  const sortTree = (node: ThreadNode) => {
    node.children.sort((a, b) => earliest(a) - earliest(b));
    node.children.forEach(sortTree);
  };
  roots.forEach(sortTree);
  return roots;
}

function byDate(a: SearchCandidate, b: SearchCandidate): number {
  return a.meta.sentDate - b.meta.sentDate || a.seq - b.seq;
}

function firstMessage(node: ThreadNode): SearchCandidate | null {
  return node.message ?? node.children.map(firstMessage).find((message) => message !== null) ?? null;
}

function earliest(node: ThreadNode): number {
  const own = node.message ? node.message.meta.sentDate : Infinity;
  return Math.min(own, ...node.children.map(earliest));
}

/** RFC 5256 §4 thread-list text: `(1 2 (3)(4))(5)`; `number` picks sequence number or UID. */
export function formatThreads(roots: readonly ThreadNode[], number: (message: SearchCandidate) => number): string {
  const format = (node: ThreadNode): string => {
    const head = node.message ? String(number(node.message)) : '';
    if (node.children.length === 0) return head;
    if (node.children.length === 1 && node.message) return `${head} ${format(node.children[0])}`;
    const children = node.children.map((child) => `(${format(child)})`).join('');
    return head ? `${head} ${children}` : children;
  };
  return roots.map((root) => `(${format(root)})`).join('');
}
