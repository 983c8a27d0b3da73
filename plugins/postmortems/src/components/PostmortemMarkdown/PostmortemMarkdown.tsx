import { MarkdownContent } from '@backstage/core-components';
import { configApiRef, useApi } from '@backstage/core-plugin-api';
import { useCallback } from 'react';
import { imageSource } from './imageSources';

/**
 * Post-mortem Markdown as Backstage renders Markdown, except that images
 * load only from the portal's origin and the hosts allowed by
 * `postmortems.images.allowedHosts`.
 */
export const PostmortemMarkdown = ({ content }: { content: string }) => {
  const config = useApi(configApiRef);
  const allowedHosts =
    config.getOptionalStringArray('postmortems.images.allowedHosts') ?? [];
  const key = allowedHosts.join(' ');
  const transformImageUri = useCallback(
    (src: string) =>
      imageSource(src, {
        origin: window.location.origin,
        allowedHosts: key ? key.split(' ') : [],
      }),
    [key],
  );
  return (
    <MarkdownContent content={content} transformImageUri={transformImageUri} />
  );
};
