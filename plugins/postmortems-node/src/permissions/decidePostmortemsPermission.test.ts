import { mockCredentials } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  AuthorizeResult,
  createPermission,
  Permission,
} from '@backstage/plugin-permission-common';
import {
  createConditionAuthorizer,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import {
  actionItemUpdatePermission,
  incidentWritePermission,
  postmortemCreatePermission,
  postmortemPermissions,
  postmortemPublishPermission,
  postmortemReadDraftPermission,
  postmortemReadPermission,
  postmortemUpdatePermission,
  templateManagePermission,
} from '@postmortems-oss/backstage-plugin-postmortems-common';
import { readPostmortemsAdmins } from './admins';
import { decidePostmortemsPermission } from './decidePostmortemsPermission';
import { PostmortemResource, postmortemRules } from './rules';

// The draft every case is decided against: carla commands the incident,
// alice wrote part of the post-mortem, team-payments owns the affected service.
const draft: PostmortemResource = {
  incidentId: 'incident-1',
  commander: 'user:default/carla',
  authors: ['user:default/alice'],
  serviceOwners: ['group:default/team-payments'],
};

function userOf(userEntityRef: string, groups: string[] = []): PolicyQueryUser {
  return {
    credentials: mockCredentials.user(userEntityRef),
    info: {
      userEntityRef,
      ownershipEntityRefs: [userEntityRef, ...groups],
    },
  };
}

// Written as an adopter might: short refs and mixed case.
const admins = readPostmortemsAdmins(
  new ConfigReader({
    postmortems: {
      permissions: { admins: ['User:default/Frank', 'group:SRE'] },
    },
  }),
);

const users = {
  adminByUserRef: userOf('user:default/frank', ['group:default/platform']),
  adminByGroup: userOf('user:default/gina', ['group:default/sre']),
  commander: userOf('user:default/carla'),
  author: userOf('user:default/alice', ['group:default/team-storefront']),
  serviceOwner: userOf('user:default/bob', ['group:default/team-payments']),
  stranger: userOf('user:default/mallory', ['group:default/team-storefront']),
  anonymous: undefined,
};
type UserKind = keyof typeof users;

const applyConditions = createConditionAuthorizer(
  Object.values(postmortemRules),
);

/** The outcome for this draft: a conditional decision is applied to it. */
function outcome(permission: Permission, kind: UserKind): 'ALLOW' | 'DENY' {
  const decision = decidePostmortemsPermission({ permission }, users[kind], {
    admins,
  });
  if (!decision) {
    throw new Error(`${permission.name} was not decided`);
  }
  if (decision.result === AuthorizeResult.CONDITIONAL) {
    return applyConditions(decision, draft) ? 'ALLOW' : 'DENY';
  }
  return decision.result === AuthorizeResult.ALLOW ? 'ALLOW' : 'DENY';
}

const A = 'ALLOW';
const D = 'DENY';
const unknownResourcePermission = createPermission({
  name: 'postmortem.attachment.delete',
  attributes: { action: 'delete' },
  resourceType: 'postmortem',
});
const unknownBasicPermission = createPermission({
  name: 'postmortem.settings.write',
  attributes: { action: 'update' },
});

//                                  admin  admin  com-   au-   owner  stran- anon-
//                                  (user) (group) mander thor        ger    ymous
const expected: Array<[Permission, Record<UserKind, 'ALLOW' | 'DENY'>]> = [
  [postmortemReadPermission, row(A, A, A, A, A, A, D)],
  [postmortemReadDraftPermission, row(A, A, A, A, A, D, D)],
  [postmortemCreatePermission, row(A, A, A, A, A, D, D)],
  [postmortemUpdatePermission, row(A, A, A, A, A, D, D)],
  [actionItemUpdatePermission, row(A, A, A, A, A, D, D)],
  [postmortemPublishPermission, row(A, A, A, D, A, D, D)],
  [incidentWritePermission, row(A, A, D, D, D, D, D)],
  [templateManagePermission, row(A, A, D, D, D, D, D)],
  [unknownResourcePermission, row(A, A, D, D, D, D, D)],
  [unknownBasicPermission, row(A, A, D, D, D, D, D)],
];

function row(
  ...cells: Array<'ALLOW' | 'DENY'>
): Record<UserKind, 'ALLOW' | 'DENY'> {
  const kinds = Object.keys(users) as UserKind[];
  return Object.fromEntries(kinds.map((kind, i) => [kind, cells[i]])) as Record<
    UserKind,
    'ALLOW' | 'DENY'
  >;
}

describe('decidePostmortemsPermission', () => {
  it('decides every permission the plugin declares', () => {
    expect(expected.map(([permission]) => permission.name)).toEqual(
      expect.arrayContaining(postmortemPermissions.map(p => p.name)),
    );
  });

  describe.each(
    expected.map(([permission, outcomes]) => [
      permission.name,
      permission,
      outcomes,
    ]),
  )('%s', (_name, permission, outcomes) => {
    it.each(Object.entries(outcomes))('%s: %s', (kind, want) => {
      expect(outcome(permission, kind as UserKind)).toBe(want);
    });
  });

  it('allows published post-mortems outright and decides drafts per incident', () => {
    const user = users.stranger;
    expect(
      decidePostmortemsPermission(
        { permission: postmortemReadPermission },
        user,
        { admins },
      ),
    ).toEqual({ result: AuthorizeResult.ALLOW });
    expect(
      decidePostmortemsPermission(
        { permission: postmortemReadDraftPermission },
        user,
        { admins },
      ),
    ).toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'postmortems',
      resourceType: 'postmortem',
      conditions: {
        anyOf: [
          {
            rule: 'IS_INCIDENT_COMMANDER',
            resourceType: 'postmortem',
            params: { userRef: 'user:default/mallory' },
          },
          {
            rule: 'IS_POSTMORTEM_AUTHOR',
            resourceType: 'postmortem',
            params: { userRef: 'user:default/mallory' },
          },
          {
            rule: 'IS_AFFECTED_SERVICE_OWNER',
            resourceType: 'postmortem',
            params: {
              claims: ['user:default/mallory', 'group:default/team-storefront'],
            },
          },
        ],
      },
    });
  });

  it('leaves permissions of other plugins to the calling policy', () => {
    const catalogRead = createPermission({
      name: 'catalog.entity.read',
      attributes: { action: 'read' },
      resourceType: 'catalog-entity',
    });
    for (const user of Object.values(users)) {
      expect(
        decidePostmortemsPermission({ permission: catalogRead }, user, {
          admins,
        }),
      ).toBeUndefined();
    }
  });

  it('compares admin refs without regard to case', () => {
    expect(outcome(templateManagePermission, 'adminByUserRef')).toBe('ALLOW');
    expect(
      decidePostmortemsPermission(
        { permission: templateManagePermission },
        userOf('user:default/FRANK'),
        { admins: ['user:default/frank'] },
      ),
    ).toEqual({ result: AuthorizeResult.ALLOW });
  });
});

describe('readPostmortemsAdmins', () => {
  it('returns full lowercase refs', () => {
    expect(admins).toEqual(['user:default/frank', 'group:default/sre']);
  });

  it('returns none when the key is missing', () => {
    expect(readPostmortemsAdmins(new ConfigReader({}))).toEqual([]);
  });

  it.each([
    ['frank', 'is not an entity ref'],
    ['component:default/checkout-api', 'admins are users or groups'],
  ])('refuses %s', (ref, message) => {
    expect(() =>
      readPostmortemsAdmins(
        new ConfigReader({ postmortems: { permissions: { admins: [ref] } } }),
      ),
    ).toThrow(message);
  });
});
