// The organisation directory at 50,000 users in 5,000 departments: GAL searches (pinyin initials, full pinyin, Chinese
// characters, address) and a department members page through GraphQL, and what delivering one message over SMTP to a
// 5,000-member department list costs beyond delivering it to one user. Accounts and INBOXes are inserted straight into
// the store; departments, people and memberships in bulk through the org module's repositories. Prints one summary line.
// Run: npm run build && node dist/bench/org-directory.js [users=50000] [departments=5000]   (MAILHIVE_TEST_DB=mariadb for MariaDB)
import { connect, type Socket } from 'node:net';
import { loadConfig } from '../core/config/config.loader.js';
import { closeDataSources, openDataSources } from '../core/store/data-source.factory.js';
import { AccountEntity } from '../core/store/entities/account.entity.js';
import { DomainEntity } from '../core/store/entities/domain.entity.js';
import { MailboxEntity } from '../core/store/entities/mailbox.entity.js';
import { StoreService } from '../core/store/store.service.js';
import { ModuleStore } from '../core/module-store/module-store.service.js';
import { MODULE_SCHEMAS } from '../app/module-schemas.js';
import { DepartmentRepository } from '../modules/org/repositories/department.repository.js';
import { PeopleRepository, type Person } from '../modules/org/repositories/people.repository.js';
import { membershipSortKey, searchKeys, sortKeyOf } from '../modules/org/services/search-keys.js';
import { MailhiveProcess } from '../test/support/mailhive-process.js';
import { TEST_DB } from '../test/support/test-database.js';

const USERS = Number(process.argv[2] ?? 50_000);
const DEPARTMENTS = Number(process.argv[3] ?? 5_000);
const DEPARTMENTS_MADE = 12 + 100 * Math.max(1, Math.round((DEPARTMENTS - 11) / 100));
const LIST_SIZE = 5_000;
const ROWS_PER_INSERT = 500;
const ROUNDS = 20;
const PASSWORD = 'bench-org-pass';
const SURNAMES = [...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈'];
const GIVEN = [...'伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建文辉力鹏飞宇浩然子涵欣怡梓轩雨晨思'];

const nameOf = (i: number): string =>
  SURNAMES[i % SURNAMES.length]! + GIVEN[Math.floor(i / SURNAMES.length) % GIVEN.length]! + GIVEN[Math.floor(i / 7) % GIVEN.length]!;
const addressOf = (i: number): string => `u${String(i).padStart(6, '0')}@bench.example`;

async function seed(env: NodeJS.ProcessEnv): Promise<{ listDepartment: number; team: number }> {
  const sources = await openDataSources(loadConfig({ ...process.env, ...env }), MODULE_SCHEMAS);
  try {
    const writer = sources.writer.manager;
    const store = new ModuleStore(new StoreService(sources));
    const domain = await writer.findOneByOrFail(DomainEntity, { name: 'bench.example' });
    const root = await writer.findOneByOrFail(AccountEntity, { address: 'root@bench.example' });
    const now = Date.now();
    const ids: number[] = [];
    for (let start = 0; start < USERS; start += ROWS_PER_INSERT) {
      const rows = Array.from({ length: Math.min(ROWS_PER_INSERT, USERS - start) }, (_, offset) => ({
        address: addressOf(start + offset),
        domainId: domain.id,
        displayName: nameOf(start + offset),
        passwordHash: root.passwordHash,
        quotaBytes: 0,
        usedBytes: 0,
        enabled: true,
        role: 'user' as const,
        failedLogins: 0,
        lockedUntil: 0,
        createdAt: now,
        protocols: ['smtp', 'imap', 'pop3', 'webmail', 'mobile'],
        expiresAt: 0,
      }));
      await writer.createQueryBuilder().insert().into(AccountEntity).values(rows).updateEntity(false).execute();
      const first = Number((await writer.findOneByOrFail(AccountEntity, { address: rows[0]!.address })).id);
      ids.push(...rows.map((_, offset) => first + offset));
      await writer
        .createQueryBuilder()
        .insert()
        .into(MailboxEntity)
        .values(
          rows.map((_, offset) => ({
            accountId: first + offset,
            path: 'INBOX',
            specialUse: null,
            subscribed: true,
            uidValidity: 1,
            createdAt: now,
          })),
        )
        .updateEntity(false)
        .execute();
    }
    const departments = new DepartmentRepository(store);
    const people = new PeopleRepository(store);
    // A tree four levels deep: company → 10 divisions → groups → 9 teams per group, about DEPARTMENTS in all.
    const groupsPerDivision = Math.max(1, Math.round((DEPARTMENTS - 11) / 100));
    const tree = await store.transaction(async (manager) => {
      const fields = (name: string, code: string, sortOrder: number) => ({ name, code, sortOrder, description: '' });
      const company = (await departments.find(await departments.insert(manager, domain.id, null, fields('总公司', 'HQ', 0)), manager))!;
      const leaves: number[] = [];
      for (let d = 0; d < 10; d++) {
        const division = (await departments.find(
          await departments.insert(manager, domain.id, company, fields(`事业部${d}`, `D${d}`, d)),
          manager,
        ))!;
        for (let g = 0; g < groupsPerDivision; g++) {
          const group = (await departments.find(
            await departments.insert(manager, domain.id, division, fields(`组${d}-${g}`, `G${d}-${g}`, g)),
            manager,
          ))!;
          for (let t = 0; t < 9; t++)
            leaves.push(await departments.insert(manager, domain.id, group, fields(`团队${d}-${g}-${t}`, `T${d}-${g}-${t}`, t)));
        }
      }
      const list = await departments.insert(manager, domain.id, company, fields('全体东区', 'EAST-ALL', 99));
      await departments.update(manager, list, { listAddress: 'east-all@bench.example', listPolicy: 'anyone' });
      return { leaves, list };
    });
    await store.transaction(async (manager) => {
      const entries = ids.map((accountId, i): { person: Person; keys: string[] } => {
        const person: Person = {
          accountId,
          domainId: domain.id,
          address: addressOf(i),
          name: nameOf(i),
          sortKey: sortKeyOf(nameOf(i)),
          title: i % 50 === 0 ? '经理' : '职员',
          phone: `010-${String(5_000_000 + i)}`,
          mobile: '',
          employeeNumber: `E${i}`,
          office: '',
          privacy: 'organisation',
          hidePhone: false,
        };
        return { person, keys: searchKeys(person) };
      });
      await people.insertMany(manager, entries);
      await people.insertMemberships(manager, [
        ...ids.map((accountId, i) => ({
          accountId,
          departmentId: tree.leaves[i % tree.leaves.length]!,
          isPrimary: true,
          isManager: i % 50 === 0,
          sortKey: membershipSortKey(i % 50 === 0, entries[i]!.person.sortKey),
        })),
        ...ids.slice(0, LIST_SIZE).map((accountId, i) => ({
          accountId,
          departmentId: tree.list,
          isPrimary: false,
          isManager: false,
          sortKey: membershipSortKey(false, entries[i]!.person.sortKey),
        })),
      ]);
    });
    return { listDepartment: tree.list, team: tree.leaves[0]! };
  } finally {
    await closeDataSources(sources);
  }
}

/** A bare SMTP client that waits for each final reply line, so the server's time per command can be read off. */
class SmtpTimer {
  private buffer = '';
  private waiting: ((line: string) => void)[] = [];

  private constructor(private readonly socket: Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      this.buffer += chunk;
      for (let end = this.buffer.indexOf('\r\n'); end >= 0; end = this.buffer.indexOf('\r\n')) {
        const line = this.buffer.slice(0, end);
        this.buffer = this.buffer.slice(end + 2);
        if (/^\d{3} /.test(line)) this.waiting.shift()?.(line);
      }
    });
  }

  static async connect(port: number): Promise<SmtpTimer> {
    const timer = new SmtpTimer(connect(port, '127.0.0.1'));
    await timer.reply('220');
    return timer;
  }

  async command(line: string, expect = '2'): Promise<void> {
    const reply = this.reply(expect);
    this.socket.write(`${line}\r\n`);
    await reply;
  }

  close(): void {
    this.socket.end();
  }

  private reply(expect: string): Promise<string> {
    return new Promise((resolve, reject) =>
      this.waiting.push((line) => (line.startsWith(expect) ? resolve(line) : reject(new Error(line)))),
    );
  }
}

function median(times: number[]): number {
  return [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
}

const server = await MailhiveProcess.create({ MAILHIVE_LOG_LEVEL: 'warn' });
try {
  await server.cli('domain', 'add', 'bench.example');
  await server.cli('user', 'add', 'root@bench.example', '--password', PASSWORD, '--admin');
  const seedStarted = performance.now();
  const { listDepartment, team } = await seed(server.env);
  const seedSeconds = (performance.now() - seedStarted) / 1000;
  await server.start();
  const endpoint = `http://127.0.0.1:${server.ports.http}/graphql`;
  const post = async (query: string, variables: Record<string, unknown>, token?: string) => {
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return body.data!;
  };
  const token = (
    (await post('mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }', { e: addressOf(7), p: PASSWORD }))
      .login as { token: string }
  ).token;
  const timed = async (query: string, variables: Record<string, unknown>): Promise<number> => {
    await post(query, variables, token);
    const times: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const started = performance.now();
      await post(query, variables, token);
      times.push(performance.now() - started);
    }
    return median(times);
  };
  const search = 'query($q: String!) { directorySearch(query: $q, limit: 20) { address name title phone } }';
  const searchTimes: [string, number][] = [];
  for (const query of ['zw', 'zhangwei', '张伟', 'u0421', '010-5001']) searchTimes.push([query, await timed(search, { q: query })]);
  const members =
    'query($d: Int!, $o: Int!) { directoryMembers(departmentId: $d, offset: $o, limit: 50) { address name title phone isManager } }';
  const pageTimes: [string, number][] = [
    ['team', await timed(members, { d: team, o: 0 })],
    [`${LIST_SIZE}-dept`, await timed(members, { d: listDepartment, o: 0 })],
    [`${LIST_SIZE}-dept-deep`, await timed(members, { d: listDepartment, o: LIST_SIZE - 50 })],
  ];

  // Delivery: one message to one user, then to the 5,000-member list, each in a fresh SMTP session; RCPT (where the
  // list is expanded and its policy checked) and DATA (where every copy is filed) are timed apart.
  const deliver = async (to: string): Promise<{ rcpt: number; data: number }> => {
    const smtp = await SmtpTimer.connect(server.ports.smtp);
    try {
      await smtp.command('EHLO bench.client');
      await smtp.command('MAIL FROM:<load@outside.example>');
      let started = performance.now();
      await smtp.command(`RCPT TO:<${to}>`);
      const rcpt = performance.now() - started;
      await smtp.command('DATA', '354');
      started = performance.now();
      await smtp.command(`Subject: bench\r\n\r\n${'x'.repeat(4096)}\r\n.`);
      return { rcpt, data: performance.now() - started };
    } finally {
      smtp.close();
    }
  };
  await deliver(addressOf(9));
  await deliver('east-all@bench.example');
  const single: { rcpt: number; data: number }[] = [];
  const list: { rcpt: number; data: number }[] = [];
  for (let round = 0; round < 5; round++) {
    single.push(await deliver(addressOf(9 + round)));
    list.push(await deliver('east-all@bench.example'));
  }
  const total = (times: { rcpt: number; data: number }[]) => median(times.map((time) => time.rcpt + time.data));
  const added = total(list) - total(single);
  const expansion = median(list.map((time) => time.rcpt)) - median(single.map((time) => time.rcpt));

  const slowestSearch = Math.max(...searchTimes.map(([, time]) => time));
  const slowestPage = Math.max(...pageTimes.map(([, time]) => time));
  const verdict = (value: number, limit: number) => (value < limit ? 'under' : 'OVER');
  console.log(
    `org-directory (${TEST_DB}): ${USERS} users in ${DEPARTMENTS_MADE} departments (seeded in ${seedSeconds.toFixed(0)} s): ` +
      `GAL search median ms ${searchTimes.map(([query, time]) => `${query} ${time.toFixed(1)}`).join(', ')} (${verdict(slowestSearch, 50)} 50 ms); ` +
      `members page median ms ${pageTimes.map(([name, time]) => `${name} ${time.toFixed(1)}`).join(', ')} (${verdict(slowestPage, 100)} 100 ms); ` +
      `${LIST_SIZE}-member list: expansion and policy at RCPT ${expansion.toFixed(0)} ms, filing ${LIST_SIZE} copies at DATA ${median(list.map((time) => time.data)).toFixed(0)} ms; ` +
      `delivery ${total(list).toFixed(0)} ms vs ${total(single).toFixed(0)} ms to one user: adds ${added.toFixed(0)} ms (${verdict(added, 1000)} 1 s)`,
  );
} finally {
  await server.destroy();
}
