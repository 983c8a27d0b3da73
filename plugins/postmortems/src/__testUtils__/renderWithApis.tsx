import { Entity } from '@backstage/catalog-model';
import {
  configApiRef,
  identityApiRef,
  IdentityApi,
  StorageApi,
  storageApiRef,
} from '@backstage/core-plugin-api';
import { catalogApiRef, entityRouteRef } from '@backstage/plugin-catalog-react';
import {
  mockApis,
  renderInTestApp,
  MockStorageApi,
  TestApiProvider,
} from '@backstage/test-utils';
import { signalApiRef } from '@backstage/plugin-signals-react';
import { act } from '@testing-library/react';
import { ReactNode } from 'react';
import { PostmortemsApi, postmortemsApiRef } from '../api';
import { rootRouteRef } from '../routes';

/** Users and groups the fake catalog knows. */
export const catalogPeople: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name: 'jane.doe', namespace: 'default' },
    spec: { profile: { displayName: 'Jane Doe' } },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name: 'guest', namespace: 'default' },
    spec: { profile: { displayName: 'Guest User' } },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: {
      name: 'team-payments',
      namespace: 'default',
      title: 'Payments Team',
    },
    spec: { type: 'team' },
  },
];

/** A catalog API that answers `getEntities` with the people above. */
export function fakeCatalogApi(entities: Entity[] = catalogPeople) {
  return {
    getEntities: jest.fn(async () => ({ items: entities })),
    getEntityByRef: jest.fn(async () => undefined),
    getEntitiesByRefs: jest.fn(async () => ({ items: [] })),
  } as unknown as typeof catalogApiRef.T;
}

/**
 * Renders inside a test app with the post-mortems API faked at its ref, a fake
 * catalog, a signed-in guest, a storage for drafts, and the routes the components link to.
 */
export function renderWithApis(
  element: ReactNode,
  options: {
    api: PostmortemsApi;
    identity?: IdentityApi;
    catalog?: typeof catalogApiRef.T;
    /** Pass one to read what the components stored, or to keep it across renders. */
    storage?: StorageApi;
    routeEntries?: string[];
    /** The app's configuration (`mockApis.config` data). */
    config?: NonNullable<Parameters<typeof mockApis.config>[0]>['data'];
    /** The portal's signals (see fakeSignals); none by default. */
    signals?: typeof signalApiRef.T;
  },
) {
  const identity =
    options.identity ??
    mockApis.identity({
      userEntityRef: 'user:default/guest',
      ownershipEntityRefs: ['user:default/guest', 'group:default/sre'],
    });
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [postmortemsApiRef, options.api],
        [catalogApiRef, options.catalog ?? fakeCatalogApi()],
        [identityApiRef, identity],
        [storageApiRef, options.storage ?? MockStorageApi.create()],
        [configApiRef, mockApis.config({ data: options.config ?? {} })],
        ...(options.signals
          ? [[signalApiRef, options.signals] as const]
          : []),
      ]}
    >
      {element}
    </TestApiProvider>,
    {
      routeEntries: options.routeEntries,
      mountedRoutes: {
        '/catalog/:namespace/:kind/:name': entityRouteRef,
        '/postmortems': rootRouteRef,
      },
    },
  );
}

/** The portal's signals, as the signals plugin delivers them to subscribers. */
export function fakeSignals() {
  const listeners = new Map<string, Set<(message: any) => void>>();
  return {
    api: {
      subscribe: jest.fn((channel: string, onMessage: (m: any) => void) => {
        const set = listeners.get(channel) ?? new Set();
        set.add(onMessage);
        listeners.set(channel, set);
        return { unsubscribe: () => set.delete(onMessage) };
      }),
    } as typeof signalApiRef.T,
    send(channel: string, message: unknown) {
      act(() => listeners.get(channel)?.forEach(listener => listener(message)));
    },
  };
}
