import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MailhiveProcess } from '../support/mailhive-process.js';
import { errorCode, login } from './graphql-helpers.js';
import { ORG_PASSWORD, ok, orgClient } from './org-helpers.js';

const DEPARTMENTS = [
  'code,parent_code,domain,name,sort_order,description',
  // A child before its parent: the import orders them itself.
  'SE,S,,Sales East,1,"East region, incl. Shanghai"',
  'HQ,,c.example,总公司,0,',
  'S,HQ,,销售部,1,',
  'F,HQ,,财务部,2,"Money, ""mostly"""',
].join('\r\n');

const PEOPLE = [
  'employee_number,address,name,title,phone,mobile,office,privacy,hide_phone,primary_department,departments,manages',
  'E001,zhang@c.example,张伟,销售总监,+86 10 5550101,13800000001,A-301,everyone,no,S,SE,S',
  'E002,li@c.example,李娜,Sales,,,,department,yes,SE,,',
  'E003,chen@c.example,陈静,Accountant,-5,,,organisation,no,F,,',
].join('\r\n');

describe('organisation CSV import and export', { timeout: 180_000 }, () => {
  let server: MailhiveProcess;
  let client: ReturnType<typeof orgClient>;
  let root: string;

  const importCsv = async (kind: 'Departments' | 'People', csv: string, token = root) =>
    (
      await ok(client.gql(`mutation($c: String!) { orgImport${kind}Csv(csv: $c) { created updated unchanged errors } }`, { c: csv }, token))
    )[`orgImport${kind}Csv`];
  const exportCsv = async (kind: 'Departments' | 'People', token = root): Promise<string> =>
    (await ok(client.gql(`{ orgExport${kind}Csv }`, {}, token)))[`orgExport${kind}Csv`];

  beforeAll(async () => {
    server = await MailhiveProcess.create();
    expect((await server.cli('domain', 'add', 'c.example')).code).toBe(0);
    expect((await server.cli('user', 'add', 'root@c.example', '--password', ORG_PASSWORD, '--admin')).code).toBe(0);
    await server.start();
    client = orgClient(server);
    root = await client.adminToken('root@c.example');
    await client.createUsers(root, ['zhang@c.example', 'li@c.example', 'chen@c.example']);
  }, 240_000);

  afterAll(async () => {
    await server?.destroy();
  });

  it('imports departments and people with placement, and a second import changes nothing', async () => {
    expect(await importCsv('Departments', DEPARTMENTS)).toEqual({ created: 4, updated: 0, unchanged: 0, errors: [] });
    expect(await importCsv('People', PEOPLE)).toEqual({ created: 3, updated: 0, unchanged: 0, errors: [] });
    expect(await importCsv('Departments', DEPARTMENTS)).toEqual({ created: 0, updated: 0, unchanged: 4, errors: [] });
    expect(await importCsv('People', PEOPLE)).toEqual({ created: 0, updated: 0, unchanged: 3, errors: [] });
    const sales = (await ok(client.gql('{ orgDepartments { id name } }', {}, root))).orgDepartments[0];
    expect(sales.name).toBe('总公司');
  });

  it('exports what it imported, so export → import round-trips exactly', async () => {
    const departments = await exportCsv('Departments');
    const people = await exportCsv('People');
    expect(departments.split('\r\n')[0]).toBe('code,parent_code,domain,name,sort_order,description');
    expect(departments).toContain('"East region, incl. Shanghai"');
    expect(people).toContain("E001,zhang@c.example,张伟,销售总监,'+86 10 5550101,13800000001,A-301,everyone,no,S,SE,S");
    expect(people).toContain("E003,chen@c.example,陈静,Accountant,'-5,,,organisation,no,F,,");
    expect(await importCsv('Departments', departments)).toMatchObject({ created: 0, updated: 0, errors: [] });
    expect(await importCsv('People', people)).toMatchObject({ created: 0, updated: 0, unchanged: 3, errors: [] });
    expect(await exportCsv('People')).toBe(people);
  });

  it('follows an HR change by employee number: new placement, moved department, and reports bad rows', async () => {
    const changed = PEOPLE.replace('E002,li@c.example,李娜,Sales,,,,department,yes,SE,,', 'E002,,李娜,Team lead,,,,department,yes,F,SE,F');
    expect(
      await importCsv(
        'People',
        `${changed}\r\nE009,ghost@c.example,Ghost,,,,,everyone,no,S,,\r\nE010,zhang@c.example,Dup,,,,,everyone,no,NOPE,,`,
      ),
    ).toEqual({
      created: 0,
      updated: 1,
      unchanged: 2,
      errors: ['line 5: user ghost@c.example does not exist', 'line 6: zhang@c.example has employee number E001, not E010'],
    });
    const people = await exportCsv('People');
    expect(people).toContain('E002,li@c.example,李娜,Team lead,,,,department,yes,F,SE,F');
    expect(await importCsv('Departments', DEPARTMENTS.replace('SE,S,,Sales East', 'SE,F,,Sales East'))).toMatchObject({
      updated: 1,
      errors: [],
    });
    const finance = (await exportCsv('Departments')).split('\r\n').find((line) => line.startsWith('SE,'));
    expect(finance).toBe('SE,F,c.example,Sales East,1,"East region, incl. Shanghai"');
  });

  it('places many people in one batched mutation', async () => {
    const id = (await ok(client.gql('{ orgDepartments { id } }', {}, root))).orgDepartments[0].id as number;
    const placed = await ok(
      client.gql(
        'mutation($i: [OrgPlacementInput!]!) { orgPlaceMembers(inputs: $i) { address isPrimary } }',
        {
          i: [
            { address: 'zhang@c.example', departmentId: id },
            { address: 'li@c.example', departmentId: id },
          ],
        },
        root,
      ),
    );
    expect(placed.orgPlaceMembers).toEqual([
      { address: 'zhang@c.example', isPrimary: false },
      { address: 'li@c.example', isPrimary: false },
    ]);
    const people = await ok(
      client.gql(
        'mutation($i: [OrgPersonInput!]!) { orgSetPeople(inputs: $i) { address title } }',
        {
          i: [
            { address: 'zhang@c.example', title: 'VP' },
            { address: 'chen@c.example', title: 'CFO' },
          ],
        },
        root,
      ),
    );
    expect(people.orgSetPeople).toEqual([
      { address: 'zhang@c.example', title: 'VP' },
      { address: 'chen@c.example', title: 'CFO' },
    ]);
    expect(errorCode(await client.gql('{ orgExportPeopleCsv }', {}, await login(server, 'li@c.example', ORG_PASSWORD)))).toBe('FORBIDDEN');
  });
});
