import { EmptyState } from '@backstage/core-components';
import { Box, Typography } from '@material-ui/core';
import { useIncidentsAwaitingPostmortem } from './IncidentsAwaitingPostmortem';

/**
 * What a list of post-mortems shows while it has none. With resolved
 * incidents awaiting a post-mortem listed below, a line saying so, so that
 * the list stays in view; with none, Backstage's empty state with its
 * picture.
 */
export const NoPostmortemsYet = ({
  entityRef,
  title = 'No post-mortems yet',
  description = 'Post-mortems appear here once incidents are written up.',
}: {
  entityRef?: string;
  title?: string;
  description?: string;
}) => {
  const awaiting = useIncidentsAwaitingPostmortem(entityRef, 1);
  if (awaiting.value?.total === 0 || awaiting.error) {
    return (
      <EmptyState missing="data" title={title} description={description} />
    );
  }
  // Also while loading: the compact line does not push the list down when
  // it arrives.
  return (
    <Box py={2}>
      <Typography variant="h6" component="h2">
        {title}
      </Typography>
      <Typography color="textSecondary">
        {description} Pick a resolved incident below to write one.
      </Typography>
    </Box>
  );
};
