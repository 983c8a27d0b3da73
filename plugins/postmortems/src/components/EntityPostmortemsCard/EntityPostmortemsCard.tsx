import {
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { entityRouteRef, useEntity } from '@backstage/plugin-catalog-react';
import {
  Box,
  List,
  ListItem,
  ListItemText,
  makeStyles,
  Typography,
} from '@material-ui/core';
import { formatDate } from '../../domain/time';
import { usePostmortemRows } from '../../hooks/usePostmortemRows';
import { useEntityActionItems } from '../EntityActionItemsCard';
import { PostmortemStatusChip, SeverityChip } from '../IncidentChips';

const useStyles = makeStyles(theme => ({
  figures: {
    display: 'flex',
    gap: theme.spacing(4),
    marginBottom: theme.spacing(1),
  },
  figure: { fontSize: '1.75rem', fontWeight: 500, lineHeight: 1.2 },
  overdue: { color: theme.palette.error.main },
  chips: { display: 'flex', gap: theme.spacing(1), alignItems: 'center' },
}));

/**
 * A compact card for an entity's overview: its latest post-mortems and how
 * many action items are still open. Links go to the entity's Post-Mortems tab.
 *
 * @public
 */
export const EntityPostmortemsCard = ({
  limit = 3,
  tabPath = 'postmortems',
}: {
  /** How many post-mortems to list. */
  limit?: number;
  /** Where the entity page mounts the Post-Mortems tab. */
  tabPath?: string;
}) => {
  const classes = useStyles();
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const entityRoute = useRouteRef(entityRouteRef);
  const tabUrl = `${entityRoute({
    kind: entity.kind.toLocaleLowerCase('en-US'),
    namespace: entity.metadata.namespace ?? 'default',
    name: entity.metadata.name,
  })}/${tabPath}`;
  const rows = usePostmortemRows({ entityRef, page: 1, limit });
  const items = useEntityActionItems(entityRef);

  let body;
  if (rows.loading) {
    body = <Progress />;
  } else if (rows.error) {
    body = <ResponseErrorPanel error={rows.error} />;
  } else if (!rows.value?.rows.length) {
    body = (
      <Typography color="textSecondary">
        No post-mortems yet for incidents that affected this entity.
      </Typography>
    );
  } else {
    body = (
      <List dense disablePadding aria-label="Latest post-mortems">
        {rows.value.rows.map(({ postmortem, incident }) => {
          const ref = incident?.reference ?? postmortem.incident_id;
          return (
            <ListItem key={postmortem.id} disableGutters divider>
              <ListItemText
                primary={
                  <Link to={`${tabUrl}?incident=${encodeURIComponent(ref)}`}>
                    {ref}
                    {incident ? `: ${incident.title}` : ''}
                  </Link>
                }
                secondaryTypographyProps={{ component: 'div' }}
                secondary={
                  <Box className={classes.chips} mt={0.5}>
                    {incident && <SeverityChip severity={incident.severity} />}
                    <PostmortemStatusChip status={postmortem.status} />
                    <span>{formatDate(incident?.triggered_at)}</span>
                  </Box>
                }
              />
            </ListItem>
          );
        })}
      </List>
    );
  }

  return (
    <InfoCard
      title="Post-Mortems"
      deepLink={{ title: 'All post-mortems and action items', link: tabUrl }}
    >
      <Box className={classes.figures}>
        <Box>
          <Typography className={classes.figure}>
            {items.value?.openTotal ?? '–'}
          </Typography>
          <Typography variant="body2" color="textSecondary">
            open action items
          </Typography>
        </Box>
        <Box>
          <Typography
            className={`${classes.figure} ${
              items.value?.overdueTotal ? classes.overdue : ''
            }`}
          >
            {items.value?.overdueTotal ?? '–'}
          </Typography>
          <Typography variant="body2" color="textSecondary">
            overdue
          </Typography>
        </Box>
      </Box>
      {body}
    </InfoCard>
  );
};
