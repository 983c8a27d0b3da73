import Alert from '@material-ui/lab/Alert';
import type { Postmortem } from '@postmortems-oss/backstage-plugin-postmortems-common';

/**
 * Says that a published post-mortem was changed after publishing, so that
 * readers know what they read is an amendment, never a silent change.
 */
export const AmendedNotice = ({ postmortem }: { postmortem: Postmortem }) => {
  const published = postmortem.published_version;
  if (
    postmortem.status !== 'published' ||
    !published ||
    postmortem.version <= published
  ) {
    return null;
  }
  return (
    <Alert severity="info" style={{ marginTop: 16 }}>
      Amended since it was published: this is version {postmortem.version};
      version {published} was published. The revision history shows what
      changed.
    </Alert>
  );
};
