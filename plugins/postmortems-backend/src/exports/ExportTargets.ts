import { Config } from '@backstage/config';
import {
  EXPORT_TARGET_TYPES,
  ExportTarget,
  ExportTargetType,
} from '@postmortems-oss/backstage-plugin-postmortems-common';
import {
  FileExportFormat,
  PageTarget,
  PageTargetFactory,
} from '@postmortems-oss/backstage-plugin-postmortems-node';
import { missingModuleError, readIntegrationType } from '../integrationTypes';

/** A configured target; page targets come with their client. */
export interface ConfiguredTarget extends ExportTarget {
  page?: PageTarget;
}

/** What backend modules added: page target types and file formats. */
export interface ExportIntegrations {
  pageTargetTypes: Map<ExportTargetType, PageTargetFactory>;
  fileFormats: Map<ExportTargetType, FileExportFormat>;
}

const DEFAULT_TITLES: Record<ExportTargetType, string> = {
  confluence: 'Confluence',
  notion: 'Notion',
  markdown: 'Markdown file',
  pdf: 'PDF file',
};

/**
 * The export targets under `postmortems.exports.<id>`, each with a `type`.
 * A wrong type, a type whose module is not installed or a missing credential
 * fails start-up, naming the key, rather than the first export.
 */
export class ExportTargets {
  private constructor(
    private readonly targets: Map<string, ConfiguredTarget>,
  ) {}

  static fromConfig(
    config: Config,
    integrations: ExportIntegrations,
  ): ExportTargets {
    const section = config.getOptionalConfig('postmortems.exports');
    const targets = new Map<string, ConfiguredTarget>();
    for (const id of section?.keys() ?? []) {
      const target = section!.getConfig(id);
      targets.set(id, configuredTarget(id, target, integrations));
    }
    return new ExportTargets(targets);
  }

  list(): ExportTarget[] {
    return [...this.targets.values()].map(({ id, type, title, kind }) => ({
      id,
      type,
      title,
      kind,
    }));
  }

  get(id: string): ConfiguredTarget | undefined {
    return this.targets.get(id);
  }
}

function configuredTarget(
  id: string,
  config: Config,
  integrations: ExportIntegrations,
): ConfiguredTarget {
  const known = readIntegrationType(
    config,
    `postmortems.exports.${id}`,
    EXPORT_TARGET_TYPES,
  );
  const title = config.getOptionalString('title');
  const factory = integrations.pageTargetTypes.get(known);
  if (factory) {
    const timeoutMs = (config.getOptionalNumber('timeoutSeconds') ?? 15) * 1000;
    const { page, defaultTitle } = factory({ id, config, timeoutMs });
    return {
      id,
      type: known,
      title: title ?? defaultTitle ?? DEFAULT_TITLES[known],
      kind: 'page',
      page,
    };
  }
  if (known !== 'markdown' && !integrations.fileFormats.has(known)) {
    throw missingModuleError(`postmortems.exports.${id}`, known);
  }
  return {
    id,
    type: known,
    title: title ?? DEFAULT_TITLES[known],
    kind: 'file',
  };
}
