import { createExtensionPoint } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import {
  ExportTargetType,
  TrackerType,
} from '@postmortems-oss/backstage-plugin-postmortems-common';
import { ChatThreadSource } from './chat/ChatThreadSource';
import { FileExportFormat } from './exports/FileExportFormat';
import { PageTarget } from './exports/PageTarget';
import { DraftProvider } from './generation/DraftProvider';
import { TrackerClient } from './trackers/TrackerClient';
import { IncidentUpstreamFactory } from './upstream/IncidentUpstream';

/**
 * Models that write drafts. The deterministic drafter is built in; a module
 * adds e.g. an OpenAI-compatible provider.
 *
 * @public
 */
export interface PostmortemsDraftProvidersExtensionPoint {
  addDraftProvider(provider: DraftProvider): void;
}

/** @public */
export const postmortemsDraftProvidersExtensionPoint =
  createExtensionPoint<PostmortemsDraftProvidersExtensionPoint>({
    id: 'postmortems.draft-providers',
  });

/**
 * Sources of incidents' chat threads, one per chat provider.
 *
 * @public
 */
export interface PostmortemsChatSourcesExtensionPoint {
  addChatThreadSource(source: ChatThreadSource): void;
}

/** @public */
export const postmortemsChatSourcesExtensionPoint =
  createExtensionPoint<PostmortemsChatSourcesExtensionPoint>({
    id: 'postmortems.chat-sources',
  });

/**
 * One `postmortems.exports.<id>` entry of a page target type, as its factory
 * receives it.
 *
 * @public
 */
export interface ExportTargetConfig {
  id: string;
  config: Config;
  /** `timeoutSeconds` of the entry (default 15), in milliseconds. */
  timeoutMs: number;
}

/** @public */
export interface PageTargetFactory {
  (target: ExportTargetConfig): {
    page: PageTarget;
    /** The title users see when the entry sets none. */
    defaultTitle?: string;
  };
}

/**
 * Where post-mortems can be exported: page targets (a wiki keeping one page
 * per post-mortem) configured under `postmortems.exports.<id>` with their
 * `type`, and downloadable file formats.
 *
 * @public
 */
export interface PostmortemsExportsExtensionPoint {
  addPageTargetType(type: ExportTargetType, factory: PageTargetFactory): void;
  addFileFormat(format: FileExportFormat): void;
}

/** @public */
export const postmortemsExportsExtensionPoint =
  createExtensionPoint<PostmortemsExportsExtensionPoint>({
    id: 'postmortems.exports',
  });

/**
 * One `postmortems.trackers.<id>` entry, as its tracker factory receives it.
 *
 * @public
 */
export interface TrackerConfig {
  id: string;
  config: Config;
  /** `timeoutSeconds` of the entry (default 15), in milliseconds. */
  timeoutMs: number;
}

/**
 * Issue trackers that action items can be opened in, configured under
 * `postmortems.trackers.<id>` with their `type`.
 *
 * @public
 */
export interface PostmortemsTrackersExtensionPoint {
  addTrackerType(
    type: TrackerType,
    factory: (tracker: TrackerConfig) => TrackerClient,
  ): void;
}

/** @public */
export const postmortemsTrackersExtensionPoint =
  createExtensionPoint<PostmortemsTrackersExtensionPoint>({
    id: 'postmortems.trackers',
  });

/**
 * The system incidents live in, when it is not this plugin (e.g. Regen). At
 * most one upstream per installation.
 *
 * @public
 */
export interface PostmortemsIncidentUpstreamExtensionPoint {
  setIncidentUpstream(factory: IncidentUpstreamFactory): void;
}

/** @public */
export const postmortemsIncidentUpstreamExtensionPoint =
  createExtensionPoint<PostmortemsIncidentUpstreamExtensionPoint>({
    id: 'postmortems.incident-upstream',
  });
