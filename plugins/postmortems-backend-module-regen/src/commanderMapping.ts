import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { RegenIncident, RegenUser } from './regenSchemas';

/** The annotation that names a catalog User's Regen user id, unless configured otherwise. */
export const DEFAULT_REGEN_USER_ANNOTATION = 'fluidify.ai/user-id';

export interface CommanderMappingOptions {
  catalog: CatalogService;
  auth: AuthService;
  logger: LoggerService;
  /** Regen's active users, with their e-mail addresses. */
  regenUsers(): Promise<RegenUser[]>;
  /** The catalog annotation holding a user's Regen user id. */
  annotation?: string;
  /** Whether the e-mail Regen has for a user may find their catalog User (default true). */
  byEmail?: boolean;
}

/** Regen's commander of an incident, and who that is in the catalog. */
export interface MappedCommander {
  regenId: string;
  regenName: string | null;
  /** The catalog User, when exactly one matches; undefined when none does or the lookup failed. */
  ref?: string;
}

/** Finds the commander of each Regen incident it is given. */
export type CommanderLookup = (
  regen: RegenIncident,
) => Promise<MappedCommander | undefined>;

/**
 * Who Regen's incident commanders are in the Backstage catalog. Regen knows
 * a commander by its own user id (and a display name); the catalog User is
 * the one whose annotation (`fluidify.ai/user-id` by default) holds that
 * id, or else the one whose `spec.profile.email` is the e-mail Regen has for
 * the user. A match must be unique: two catalog users claiming one Regen
 * user make neither the commander.
 */
export class CommanderMapping {
  private readonly annotation: string;
  private readonly byEmail: boolean;

  constructor(private readonly options: CommanderMappingOptions) {
    this.annotation = options.annotation ?? DEFAULT_REGEN_USER_ANNOTATION;
    this.byEmail = options.byEmail ?? true;
  }

  /**
   * A lookup for one sync or one refresh: Regen's user list is read at most
   * once and each commander looked up once, so a sync of many incidents
   * asks little of either. A failed lookup leaves commanders unmapped (and
   * is logged once) rather than failing the copy.
   */
  round(): CommanderLookup {
    let regenUsers: Promise<Map<string, RegenUser>> | undefined;
    const refs = new Map<string, Promise<string | undefined>>();
    let warned = false;

    const emailOf = async (regenId: string) => {
      regenUsers ??= this.options
        .regenUsers()
        .then(users => new Map(users.map(u => [u.id, u])));
      return (await regenUsers).get(regenId)?.email ?? undefined;
    };

    const refOf = async (regenId: string): Promise<string | undefined> => {
      try {
        const annotated = await this.users({
          [`metadata.annotations.${this.annotation}`]: regenId,
        });
        if (annotated.length > 0) {
          return this.single(annotated, `${this.annotation}: ${regenId}`);
        }
        if (!this.byEmail) return undefined;
        const email = await emailOf(regenId);
        if (!email) return undefined;
        return this.single(
          await this.users({ 'spec.profile.email': email }),
          `e-mail ${email}`,
        );
      } catch (error) {
        if (!warned) {
          warned = true;
          this.options.logger.warn(
            `Regen commanders are left as they are: the catalog or Regen's user list could not be read: ${
              (error as Error).message
            }`,
          );
        }
        return undefined;
      }
    };

    return async regen => {
      const regenId = regen.commander_id;
      if (!regenId) return undefined;
      if (!refs.has(regenId)) refs.set(regenId, refOf(regenId));
      return {
        regenId,
        regenName: regen.commander_name || null,
        ref: await refs.get(regenId),
      };
    };
  }

  private async users(filter: Record<string, string>): Promise<Entity[]> {
    const { items } = await this.options.catalog.getEntities(
      {
        filter: { kind: 'User', ...filter },
        fields: ['kind', 'metadata.name', 'metadata.namespace'],
      },
      { credentials: await this.options.auth.getOwnServiceCredentials() },
    );
    return items;
  }

  private single(users: Entity[], by: string): string | undefined {
    const refs = users.map(u => stringifyEntityRef(u));
    if (refs.length === 1) return refs[0];
    if (refs.length > 1) {
      this.options.logger.warn(
        `Several catalog users match a Regen commander by ${by} (${refs.join(
          ', ',
        )}); none is made commander`,
      );
    }
    return undefined;
  }
}
