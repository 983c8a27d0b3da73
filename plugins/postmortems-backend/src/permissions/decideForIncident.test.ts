import { PermissionCriteria } from '@backstage/plugin-permission-common';
import { PostmortemQuery } from '@postmortems-oss/backstage-plugin-postmortems-node';
import { decideForIncident, IncidentFacts } from './decideForIncident';
import { cachedOwnedServices } from './ownedServices';

const incident: IncidentFacts = {
  id: 'inc-1',
  commander: 'user:default/carla',
  services: ['component:default/Checkout-API'],
};

function lookups(authors: string[] = [], owned: string[] = []) {
  return {
    authored: jest.fn(async (_id: string, user: string) =>
      authors.includes(user),
    ),
    ownedServices: jest.fn(async () => owned),
  };
}

describe('decideForIncident', () => {
  it('decides the commander from the incident, without looking anything up', async () => {
    const found = lookups();
    const criteria: PermissionCriteria<PostmortemQuery> = {
      anyOf: [
        { commander: 'user:default/carla' },
        { author: 'user:default/carla' },
        { serviceOwnedByAnyOf: ['group:default/payments'] },
      ],
    };
    expect(await decideForIncident(criteria, incident, found)).toBe(true);
    expect(found.authored).not.toHaveBeenCalled();
    expect(found.ownedServices).not.toHaveBeenCalled();
  });

  it('looks up authorship, then ownership, only as far as it needs', async () => {
    const criteria: PermissionCriteria<PostmortemQuery> = {
      anyOf: [
        { commander: 'user:default/alice' },
        { author: 'user:default/alice' },
        { serviceOwnedByAnyOf: ['group:default/payments'] },
      ],
    };
    const author = lookups(['user:default/alice']);
    expect(await decideForIncident(criteria, incident, author)).toBe(true);
    expect(author.authored).toHaveBeenCalledWith('inc-1', 'user:default/alice');
    expect(author.ownedServices).not.toHaveBeenCalled();

    // Refs compare whatever their case, as a list's SQL compares them.
    const owner = lookups([], ['component:default/checkout-api']);
    expect(await decideForIncident(criteria, incident, owner)).toBe(true);
    expect(owner.ownedServices).toHaveBeenCalledWith([
      'group:default/payments',
    ]);

    const nobody = lookups([], ['component:default/search']);
    expect(await decideForIncident(criteria, incident, nobody)).toBe(false);
  });

  it('combines conditions with allOf and not, and owns nothing without claims', async () => {
    const found = lookups(['user:default/alice']);
    expect(
      await decideForIncident(
        {
          allOf: [
            { author: 'user:default/alice' },
            { not: { commander: 'user:default/alice' } },
          ],
        },
        incident,
        found,
      ),
    ).toBe(true);
    expect(
      await decideForIncident(
        {
          allOf: [
            { commander: 'user:default/alice' },
            { author: 'user:default/alice' },
          ],
        },
        incident,
        found,
      ),
    ).toBe(false);
    expect(found.authored).toHaveBeenCalledTimes(1);
    expect(
      await decideForIncident(
        { serviceOwnedByAnyOf: [] },
        incident,
        lookups([], ['component:default/checkout-api']),
      ),
    ).toBe(false);
  });
});

describe('cachedOwnedServices', () => {
  it('asks the catalog once per set of claims while the answer is fresh', async () => {
    let now = 0;
    const lookup = jest.fn(async (claims: string[]) =>
      claims.map(c => `component:default/${c.split('/')[1]}-api`),
    );
    const cached = cachedOwnedServices(lookup, { ttlMs: 1000, now: () => now });
    const claims = ['group:default/a', 'user:default/b'];
    expect(await cached(claims)).toEqual([
      'component:default/a-api',
      'component:default/b-api',
    ]);
    await cached([...claims].reverse());
    expect(lookup).toHaveBeenCalledTimes(1);
    now = 1000;
    await cached(claims);
    expect(lookup).toHaveBeenCalledTimes(2);
    await cached(['group:default/c']);
    expect(lookup).toHaveBeenCalledTimes(3);
  });

  it('does not keep a failed lookup, and keeps at most the given number of answers', async () => {
    let fail = true;
    const lookup = jest.fn(async (claims: string[]) => {
      if (fail) throw new Error('catalog unavailable');
      return claims;
    });
    const cached = cachedOwnedServices(lookup, { maxEntries: 2 });
    await expect(cached(['group:default/a'])).rejects.toThrow(
      'catalog unavailable',
    );
    fail = false;
    expect(await cached(['group:default/a'])).toEqual(['group:default/a']);
    expect(lookup).toHaveBeenCalledTimes(2);

    await cached(['group:default/b']);
    await cached(['group:default/c']);
    // a was the oldest of three: asked again; c is still kept.
    await cached(['group:default/a']);
    await cached(['group:default/c']);
    expect(lookup).toHaveBeenCalledTimes(5);
  });
});
