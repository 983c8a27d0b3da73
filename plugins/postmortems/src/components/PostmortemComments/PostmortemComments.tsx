import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  Box,
  Button,
  IconButton,
  List,
  ListItem,
  ListItemSecondaryAction,
  ListItemText,
  TextField,
  Typography,
} from '@material-ui/core';
import DeleteIcon from '@material-ui/icons/Delete';
import Alert from '@material-ui/lab/Alert';
import { useEffect, useState } from 'react';
import { useSignal } from '@backstage/plugin-signals-react';
import {
  postmortemSignalChannel,
  PostmortemSignal,
} from '@postmortems-oss/backstage-plugin-postmortems-common';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { postmortemsApiRef } from '../../api';
import { formatDateTime } from '../../domain/time';
import { useCurrentUser } from '../../hooks/useCurrentUser';
import { EntityRefOrText } from '../EntityRefOrText';

/**
 * Discussion of a post-mortem: read, add, and delete one's own comments.
 * Others' comments appear as they are made when the portal has Backstage
 * signals (heard on the post-mortem's channel, keyed by the incident's id).
 */
export const PostmortemComments = ({
  incidentId,
  signalId,
}: {
  incidentId: string;
  /** The incident's id, when `incidentId` may be its reference. */
  signalId?: string;
}) => {
  const api = useApi(postmortemsApiRef);
  const user = useCurrentUser();
  const comments = useAsyncRetry(
    () => api.listComments(incidentId),
    [api, incidentId],
  );
  const { lastSignal } = useSignal<PostmortemSignal>(
    postmortemSignalChannel(signalId ?? incidentId),
  );
  const { retry } = comments;
  useEffect(() => {
    if (lastSignal?.change === 'comment') retry();
    // Only a new signal reads the comments again.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [lastSignal]);
  const [body, setBody] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error>();

  const add = async () => {
    if (!body.trim()) return;
    setBusy(true);
    setError(undefined);
    try {
      await api.addComment(incidentId, body.trim());
      setBody('');
      comments.retry();
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  };

  const remove = async (commentId: string) => {
    setError(undefined);
    try {
      await api.deleteComment(incidentId, commentId);
      comments.retry();
    } catch (e) {
      setError(e as Error);
    }
  };

  const me = user.value?.userEntityRef;
  return (
    <InfoCard title="Comments">
      {comments.loading && !comments.value && <Progress />}
      {comments.error && <ResponseErrorPanel error={comments.error} />}
      {comments.value && comments.value.length === 0 && (
        <Typography color="textSecondary">No comments yet.</Typography>
      )}
      {comments.value && comments.value.length > 0 && (
        <List aria-label="Comments">
          {comments.value.map(comment => (
            <ListItem key={comment.id} alignItems="flex-start" divider>
              <ListItemText
                primary={
                  <Typography
                    variant="body2"
                    style={{ whiteSpace: 'pre-wrap' }}
                  >
                    {comment.body}
                  </Typography>
                }
                secondaryTypographyProps={{ component: 'div' }}
                secondary={
                  <>
                    <EntityRefOrText value={comment.author} /> ·{' '}
                    {formatDateTime(comment.created_at)}
                  </>
                }
              />
              {me && comment.author === me && (
                <ListItemSecondaryAction>
                  <IconButton
                    edge="end"
                    aria-label="Delete comment"
                    onClick={() => remove(comment.id)}
                  >
                    <DeleteIcon />
                  </IconButton>
                </ListItemSecondaryAction>
              )}
            </ListItem>
          ))}
        </List>
      )}
      <Box mt={2}>
        <TextField
          id={`comment-${incidentId}`}
          label="Add a comment"
          value={body}
          onChange={e => setBody(e.target.value)}
          multiline
          minRows={2}
          fullWidth
          variant="outlined"
        />
        {error && (
          <Alert severity="error" style={{ marginTop: 8 }}>
            {error.message}
          </Alert>
        )}
        <Box mt={1}>
          <Button
            variant="outlined"
            color="primary"
            onClick={add}
            disabled={busy || !body.trim()}
          >
            Comment
          </Button>
        </Box>
      </Box>
    </InfoCard>
  );
};
