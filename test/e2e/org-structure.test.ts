import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MailhiveProcess } from '../support/mailhive-process.js';
import { errorCode, login } from './graphql-helpers.js';
import { ORG_PASSWORD, ok, orgClient, submission } from './org-helpers.js';
import { StoreView } from './smtp-helpers.js';

const DEPARTMENT_FIELDS = 'id parentId domain name code depth listAddress listRecursive listPolicy';

describe('organisation structure, address list and department lists', { timeout: 180_000 }, () => {
  let server: MailhiveProcess;
  let store: StoreView;
  let client: ReturnType<typeof orgClient>;
  let root: string;
  const ids: Record<string, number> = {};
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    server = await MailhiveProcess.create();
    expect((await server.cli('domain', 'add', 'a.example')).code).toBe(0);
    expect((await server.cli('domain', 'add', 'b.example')).code).toBe(0);
    expect((await server.cli('user', 'add', 'root@a.example', '--password', ORG_PASSWORD, '--admin')).code).toBe(0);
    await server.start();
    store = await StoreView.open(server);
    client = orgClient(server);
    root = await client.adminToken('root@a.example');
    await client.createUsers(root, [
      'zhangwei@a.example',
      'lina@a.example',
      'wangfang@a.example',
      'zhaomin@a.example',
      'salesadmin@a.example',
      'newbie@a.example',
      'outsider@b.example',
    ]);
    ids.company = await client.department(root, { domain: 'a.example', name: 'Company', code: 'HQ' });
    ids.sales = await client.department(root, { parentId: ids.company, name: 'Sales', code: 'S' });
    ids.east = await client.department(root, { parentId: ids.sales, name: 'Sales East', code: 'SE' });
    ids.team = await client.department(root, { parentId: ids.east, name: 'East Team 1', code: 'SE1' });
    ids.finance = await client.department(root, { parentId: ids.company, name: 'Finance', code: 'F' });
    await client.person(root, {
      address: 'zhangwei@a.example',
      name: '张伟',
      title: 'Account Manager',
      phone: '010-5550101',
      privacy: 'ORGANISATION',
    });
    await client.person(root, { address: 'lina@a.example', name: '李娜', privacy: 'DEPARTMENT' });
    await client.person(root, {
      address: 'wangfang@a.example',
      name: '王芳',
      title: 'Sales Director',
      phone: '010-5550303',
      privacy: 'EVERYONE',
      hidePhone: true,
    });
    await client.person(root, { address: 'zhaomin@a.example', name: '赵敏', privacy: 'HIDDEN' });
    await client.place(root, 'zhangwei@a.example', ids.east, { primary: true });
    await client.place(root, 'zhangwei@a.example', ids.team);
    await client.place(root, 'lina@a.example', ids.team, { primary: true });
    await client.place(root, 'wangfang@a.example', ids.sales, { primary: true, manager: true });
    await client.place(root, 'zhaomin@a.example', ids.finance, { primary: true });
    await client.place(root, 'salesadmin@a.example', ids.sales, { primary: true });
    await ok(
      client.gql(
        'mutation($d: Int!) { orgSetDepartmentAdmins(departmentId: $d, addresses: ["salesadmin@a.example"]) }',
        { d: ids.sales },
        root,
      ),
    );
    for (const user of ['zhangwei', 'lina', 'wangfang', 'zhaomin', 'salesadmin', 'newbie'])
      tokens[user] = await login(server, `${user}@a.example`, ORG_PASSWORD);
    tokens.outsider = await login(server, 'outsider@b.example', ORG_PASSWORD);
  }, 240_000);

  afterAll(async () => {
    await store?.close();
    await server?.destroy();
  });

  describe('department tree', () => {
    it('keeps a tree of any depth with codes, depth and order', async () => {
      const top = await ok(client.gql(`{ orgDepartments { ${DEPARTMENT_FIELDS} } }`, {}, root));
      expect(top.orgDepartments).toEqual([
        expect.objectContaining({ id: ids.company, parentId: null, domain: 'a.example', name: 'Company', code: 'HQ', depth: 0 }),
      ]);
      const below = await ok(client.gql(`query($p: Int) { orgDepartments(parentId: $p) { name depth } }`, { p: ids.east }, root));
      expect(below.orgDepartments).toEqual([{ name: 'East Team 1', depth: 3 }]);
      expect(
        errorCode(
          await client.gql('mutation { orgCreateDepartment(input: { domain: "a.example", name: "Dup", code: "HQ" }) { id } }', {}, root),
        ),
      ).toBe('ALREADY_EXISTS');
    });

    it('moves a subtree and refuses to move a department into its own subtree', async () => {
      const temp = await client.department(root, { parentId: ids.company, name: 'Temp' });
      const child = await client.department(root, { parentId: temp, name: 'Temp child' });
      const grandchild = await client.department(root, { parentId: child, name: 'Temp grandchild' });
      expect(
        errorCode(
          await client.gql(
            'mutation($i: Int!, $p: Int) { orgMoveDepartment(id: $i, parentId: $p) { id } }',
            { i: temp, p: grandchild },
            root,
          ),
        ),
      ).toBe('BAD_USER_INPUT');
      await ok(
        client.gql('mutation($i: Int!, $p: Int) { orgMoveDepartment(id: $i, parentId: $p) { id } }', { i: child, p: ids.finance }, root),
      );
      const moved = await ok(client.gql('query($i: Int!) { orgDepartment(id: $i) { parentId depth } }', { i: grandchild }, root));
      expect(moved.orgDepartment).toEqual({ parentId: child, depth: 3 });
    });

    it('deletes a department only when empty or with its members moved', async () => {
      const doomed = await client.department(root, { parentId: ids.company, name: 'Doomed' });
      const sub = await client.department(root, { parentId: doomed, name: 'Doomed sub' });
      await client.place(root, 'newbie@a.example', doomed, { primary: true });
      const remove = (id: number, moveTo: number | null) =>
        client.gql('mutation($i: Int!, $m: Int) { orgDeleteDepartment(id: $i, moveMembersTo: $m) }', { i: id, m: moveTo }, root);
      expect(errorCode(await remove(doomed, null))).toBe('IN_USE');
      expect((await ok(remove(sub, null))).orgDeleteDepartment).toBe(true);
      expect(errorCode(await remove(doomed, null))).toBe('IN_USE');
      expect((await ok(remove(doomed, ids.finance))).orgDeleteDepartment).toBe(true);
      const finance = await ok(
        client.gql('query($d: Int!) { orgMembers(departmentId: $d) { address isPrimary } }', { d: ids.finance }, root),
      );
      expect(finance.orgMembers).toContainEqual({ address: 'newbie@a.example', isPrimary: true });
      expect(errorCode(await client.gql('query($i: Int!) { orgDepartment(id: $i) { id } }', { i: doomed }, root))).toBe('NOT_FOUND');
      await ok(
        client.gql('mutation($d: Int!) { orgRemoveMember(address: "newbie@a.example", departmentId: $d) }', { d: ids.finance }, root),
      );
    });
  });

  describe('department admins', () => {
    const sa = () => tokens.salesadmin!;

    it('manages sub-departments and people of its subtree', async () => {
      const created = await client.department(sa(), { parentId: ids.sales, name: 'Sales West' });
      await ok(
        client.gql('mutation($i: Int!) { orgUpdateDepartment(id: $i, input: { description: "west coast" }) { id } }', { i: created }, sa()),
      );
      await client.place(sa(), 'newbie@a.example', created, { primary: true });
      await client.person(sa(), { address: 'newbie@a.example', title: 'Trainee' });
      const tree = await ok(client.gql('{ orgDepartments { id name } }', {}, sa()));
      expect(tree.orgDepartments).toEqual([{ id: ids.sales, name: 'Sales' }]);
      await ok(
        client.gql(
          'mutation($i: Int!) { orgDeleteDepartment(id: $i, moveMembersTo: $m) }'.replace('$m', String(ids.east)),
          { i: created },
          sa(),
        ),
      );
    });

    it('gets FORBIDDEN outside its subtree, for missing ids too, and for its own department', async () => {
      const refused = [
        client.gql('query($d: Int!) { orgMembers(departmentId: $d) { address } }', { d: ids.finance }, sa()),
        client.gql('query($d: Int!) { orgDepartment(id: $d) { name } }', { d: 999_999 }, sa()),
        client.gql('query($p: Int) { orgDepartments(parentId: $p) { name } }', { p: ids.company }, sa()),
        client.gql('mutation($p: Int!) { orgCreateDepartment(input: { parentId: $p, name: "X" }) { id } }', { p: ids.finance }, sa()),
        client.gql('mutation { orgCreateDepartment(input: { domain: "a.example", name: "X" }) { id } }', {}, sa()),
        client.gql('mutation($i: Int!) { orgUpdateDepartment(id: $i, input: { name: "Mine now" }) { id } }', { i: ids.sales }, sa()),
        client.gql('mutation($i: Int!) { orgUpdateDepartment(id: $i, input: { name: "Mine now" }) { id } }', { i: ids.finance }, sa()),
        client.gql('mutation($i: Int!, $p: Int) { orgMoveDepartment(id: $i, parentId: $p) { id } }', { i: ids.east, p: ids.finance }, sa()),
        client.gql('mutation($i: Int!) { orgDeleteDepartment(id: $i) }', { i: ids.finance }, sa()),
        client.gql('mutation { orgSetPerson(input: { address: "zhaomin@a.example", title: "x" }) { address } }', {}, sa()),
        client.gql('mutation { orgSetPerson(input: { address: "ghost@a.example", title: "x" }) { address } }', {}, sa()),
        client.gql(
          'mutation($d: Int!) { orgPlaceMember(input: { address: "zhaomin@a.example", departmentId: $d }) { address } }',
          { d: ids.east },
          sa(),
        ),
        client.gql(
          'mutation($d: Int!) { orgSetDepartmentList(departmentId: $d, input: { address: "x@a.example" }) { id } }',
          { d: ids.sales },
          sa(),
        ),
        client.gql(
          'mutation($d: Int!) { orgSetDepartmentAdmins(departmentId: $d, addresses: ["lina@a.example"]) }',
          { d: ids.finance },
          sa(),
        ),
      ];
      for (const result of await Promise.all(refused)) {
        expect(result.errors?.[0]).toMatchObject({ message: 'not allowed', extensions: { code: 'FORBIDDEN' } });
        expect(result.data ?? null).toBeNull();
      }
    });

    it('refuses plain users and anonymous callers', async () => {
      expect(errorCode(await client.gql('{ orgDepartments { id } }', {}, tokens.lina))).toBe('FORBIDDEN');
      expect(errorCode(await client.gql('{ orgDepartments { id } }'))).toBe('UNAUTHENTICATED');
    });
  });

  describe('global address list', () => {
    const search = async (token: string, query: string): Promise<{ address: string; name: string; phone: string }[]> =>
      (await ok(client.gql('query($q: String!) { directorySearch(query: $q) { address name phone } }', { q: query }, token)))
        .directorySearch;
    const addresses = async (token: string, query: string) => (await search(token, query)).map((person) => person.address).sort();

    it('finds 张伟 by pinyin spelling, initials, characters, address, phone and title', async () => {
      for (const query of ['zw', 'zhangwei', 'ZhangWei', '张', '张伟', 'zhangwei@', '0105550101', 'account man']) {
        expect(await addresses(tokens.lina!, query), query).toContain('zhangwei@a.example');
      }
      expect(await addresses(tokens.lina!, 'zx')).toEqual([]);
    });

    it('answers each privacy level differently per asker', async () => {
      // organisation: the same domain only
      expect(await addresses(tokens.outsider!, 'zhangwei')).toEqual([]);
      expect(await addresses(tokens.zhaomin!, 'zhangwei')).toEqual(['zhangwei@a.example']);
      // department: people sharing a department (East Team 1) only
      expect(await addresses(tokens.zhangwei!, 'lina')).toEqual(['lina@a.example']);
      expect(await addresses(tokens.wangfang!, 'lina')).toEqual([]);
      // everyone: other organisations too; phone hidden from all but the person
      expect(await search(tokens.outsider!, 'wf')).toEqual([{ address: 'wangfang@a.example', name: '王芳', phone: '' }]);
      expect((await search(tokens.wangfang!, 'wf'))[0]?.phone).toBe('010-5550303');
      // hidden: nobody but the person
      expect(await addresses(tokens.zhangwei!, 'zhaomin')).toEqual([]);
      expect(await addresses(tokens.zhaomin!, 'zhaomin')).toEqual(['zhaomin@a.example']);
    });

    it('lets a user choose their own privacy level', async () => {
      const set = (token: string, privacy: string) =>
        client.gql('mutation($p: OrgPrivacy!) { directorySetMyPrivacy(privacy: $p, hidePhone: false) { address } }', { p: privacy }, token);
      expect(await addresses(tokens.outsider!, 'zw')).toEqual([]);
      await ok(set(tokens.zhangwei!, 'EVERYONE'));
      expect(await addresses(tokens.outsider!, 'zw')).toEqual(['zhangwei@a.example']);
      await ok(set(tokens.zhangwei!, 'ORGANISATION'));
      expect(await addresses(tokens.outsider!, 'zw')).toEqual([]);
      expect(errorCode(await set(tokens.outsider!, 'HIDDEN'))).toBe('NOT_FOUND');
    });

    it('browses the tree and pages a department’s members through the same filter', async () => {
      const top = await ok(client.gql('{ directoryDepartments { id name } }', {}, tokens.lina));
      expect(top.directoryDepartments).toEqual([{ id: ids.company, name: 'Company' }]);
      expect((await ok(client.gql('{ directoryDepartments { id } }', {}, tokens.outsider))).directoryDepartments).toEqual([]);
      const members = async (token: string, limit = 50, offset = 0) =>
        (
          await ok(
            client.gql(
              'query($d: Int!, $l: Int!, $o: Int!) { directoryMembers(departmentId: $d, limit: $l, offset: $o) { address } }',
              { d: ids.team, l: limit, o: offset },
              token,
            ),
          )
        ).directoryMembers.map((person: { address: string }) => person.address);
      expect(await members(tokens.zhangwei!)).toEqual(['lina@a.example', 'zhangwei@a.example']);
      expect(await members(tokens.wangfang!)).toEqual(['zhangwei@a.example']);
      expect([...(await members(tokens.zhangwei!, 1)), ...(await members(tokens.zhangwei!, 1, 1))]).toEqual([
        'lina@a.example',
        'zhangwei@a.example',
      ]);
      // Managers first, then by name (wangfang sorts after salesadmin by name but manages Sales).
      const sales = await ok(
        client.gql('query($d: Int!) { directoryMembers(departmentId: $d) { address isManager } }', { d: ids.sales }, tokens.zhangwei),
      );
      expect(sales.directoryMembers).toEqual([
        { address: 'wangfang@a.example', isManager: true },
        { address: 'salesadmin@a.example', isManager: false },
      ]);
    });
  });

  describe('department lists', () => {
    const count = async (address: string) => (await store.messages(address)).length;
    const counts = async () =>
      Object.fromEntries(
        await Promise.all(
          ['zhangwei', 'lina', 'wangfang', 'zhaomin', 'salesadmin', 'newbie'].map(
            async (user) => [user, await count(`${user}@a.example`)] as const,
          ),
        ),
      );

    it('delivers mail to a 3-level department list to each member exactly once', async () => {
      await ok(
        client.gql(
          'mutation($d: Int!) { orgSetDepartmentList(departmentId: $d, input: { address: "Sales@A.example", recursive: true, policy: MEMBERS }) { listAddress } }',
          { d: ids.sales },
          root,
        ),
      );
      const before = await counts();
      const transport = submission(server, 'zhangwei@a.example');
      // zhangwei is in Sales East and East Team 1, and also named directly: still one copy.
      await transport.sendMail({
        from: 'zhangwei@a.example',
        to: ['sales@a.example', 'zhangwei@a.example'],
        subject: 'Q4 targets',
        text: 'hello sales',
      });
      transport.close();
      const after = await counts();
      expect(Object.fromEntries(Object.entries(after).map(([user, n]) => [user, n - before[user]!]))).toEqual({
        zhangwei: 1,
        lina: 1,
        wangfang: 1,
        salesadmin: 1,
        newbie: 1,
        zhaomin: 0,
      });
      const [copy] = (await store.messages('lina@a.example')).slice(-1);
      expect(copy!.raw.toString()).toContain('Subject: Q4 targets');
      // One stored blob for every copy.
      expect(
        new Set(await Promise.all(['lina', 'wangfang'].map(async (user) => (await store.messages(`${user}@a.example`)).at(-1)!.blobId)))
          .size,
      ).toBe(1);
    });

    it('expands only primary members when the list says so', async () => {
      await ok(
        client.gql(
          'mutation($d: Int!) { orgSetDepartmentList(departmentId: $d, input: { address: "team1@a.example", primaryOnly: true }) { listAddress } }',
          { d: ids.team },
          root,
        ),
      );
      const before = await counts();
      const transport = nodemailer.createTransport({ host: '127.0.0.1', port: server.ports.smtp, secure: false, ignoreTLS: true });
      await transport.sendMail({ from: 'partner@remote.example', to: 'team1@a.example', subject: 'hi team', text: 'x' });
      transport.close();
      const after = await counts();
      expect(after.lina! - before.lina!).toBe(1);
      expect(after.zhangwei! - before.zhangwei!).toBe(0);
    });

    it('refuses at RCPT with 5.7.1 a sender the policy does not admit', async () => {
      const refused = async (user: string | null, to: string) => {
        const transport = user
          ? submission(server, user)
          : nodemailer.createTransport({ host: '127.0.0.1', port: server.ports.smtp, secure: false, ignoreTLS: true });
        try {
          await transport.sendMail({ from: user ?? 'stranger@remote.example', to, subject: 'x', text: 'x' });
          return null;
        } catch (error) {
          return (error as { response?: string }).response ?? String(error);
        } finally {
          transport.close();
        }
      };
      expect(await refused('zhaomin@a.example', 'sales@a.example')).toMatch(
        /^550 5\.7\.1 Only members may send to this list \(sales@a\.example\)/,
      );
      expect(await refused(null, 'sales@a.example')).toMatch(/^550 5\.7\.1 /);
      await ok(
        client.gql(
          'mutation($d: Int!) { orgSetDepartmentList(departmentId: $d, input: { address: "all@a.example", recursive: true, policy: SENDERS, senders: ["zhaomin@a.example", "ceo@remote.example"] }) { id } }',
          { d: ids.company },
          root,
        ),
      );
      expect(await refused('lina@a.example', 'all@a.example')).toMatch(/^550 5\.7\.1 Only named senders and managers/);
      expect(await refused('wangfang@a.example', 'all@a.example')).toBeNull(); // a manager of Sales, inside the list
      expect(await refused('zhaomin@a.example', 'all@a.example')).toBeNull();
      await ok(
        client.gql(
          'mutation($d: Int!) { orgSetDepartmentList(departmentId: $d, input: { address: "all@a.example", recursive: true, policy: ORGANISATION }) { id } }',
          { d: ids.company },
          root,
        ),
      );
      expect(await refused('lina@a.example', 'all@a.example')).toBeNull();
      expect(await refused('outsider@b.example', 'all@a.example')).toMatch(/^550 5\.7\.1 Only authenticated users of the organisation/);
      expect(await refused(null, 'all@a.example')).toMatch(/^550 5\.7\.1 /);
    });

    it('applies the same send policy to GraphQL sendMessage', async () => {
      await ok(
        client.gql(
          'mutation($d: Int!) { orgSetDepartmentList(departmentId: $d, input: { address: "all@a.example", recursive: true, policy: SENDERS }) { id } }',
          { d: ids.company },
          root,
        ),
      );
      const send = (token: string) =>
        client.gql(
          'mutation($i: SendMessageInput!) { sendMessage(input: $i) { id } }',
          { i: { to: [{ address: 'all@a.example' }], subject: 'all hands', text: 'x' } },
          token,
        );
      const refused = await send(tokens.lina!);
      expect(refused.errors?.[0]).toMatchObject({
        message: 'Only named senders and managers may send to this list (all@a.example)',
        extensions: { code: 'REJECTED' },
      });
      expect((await send(tokens.wangfang!)).errors).toBeUndefined();
    });

    it('refuses a list address that is taken or in another domain', async () => {
      const set = (address: string) =>
        client.gql(
          'mutation($d: Int!, $a: String) { orgSetDepartmentList(departmentId: $d, input: { address: $a }) { id } }',
          { d: ids.finance, a: address },
          root,
        );
      expect(errorCode(await set('lina@a.example'))).toBe('ALREADY_EXISTS');
      expect(errorCode(await set('sales@a.example'))).toBe('ALREADY_EXISTS');
      expect(errorCode(await set('finance@b.example'))).toBe('BAD_USER_INPUT');
    });
  });
});
