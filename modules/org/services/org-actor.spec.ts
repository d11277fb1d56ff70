import { describe, expect, it } from 'vitest';
import { mayChange, mayManagePerson, mayWorkIn, type OrgActor } from './org-actor.js';

const sales = { id: 2, path: '/1/2/', domainId: 1 };
const east = { id: 3, path: '/1/2/3/', domainId: 1 };
const finance = { id: 4, path: '/1/4/', domainId: 1 };
const other = { id: 9, path: '/9/', domainId: 2 };

describe('organisation scope', () => {
  const departmentAdmin: OrgActor = { kind: 'department', accountId: 7, roots: [sales] };
  const domainAdmin: OrgActor = { kind: 'domain', accountId: 8, domainIds: [1] };

  it('lets a department admin work in its subtree and change only below its own department', () => {
    expect([sales, east, finance, other].map((department) => mayWorkIn(departmentAdmin, department))).toEqual([true, true, false, false]);
    expect([sales, east, finance].map((department) => mayChange(departmentAdmin, department))).toEqual([false, true, false]);
  });

  it('does not take /1/2/ for a prefix of /1/20/', () => {
    expect(mayWorkIn(departmentAdmin, { path: '/1/20/', domainId: 1 })).toBe(false);
  });

  it('bounds a domain admin by domain and a department admin by the person’s departments', () => {
    expect(mayChange(domainAdmin, finance)).toBe(true);
    expect(mayChange(domainAdmin, other)).toBe(false);
    expect(mayManagePerson(departmentAdmin, { domainId: 1, departments: [finance, east] })).toBe(true);
    expect(mayManagePerson(departmentAdmin, { domainId: 1, departments: [finance] })).toBe(false);
  });
});
