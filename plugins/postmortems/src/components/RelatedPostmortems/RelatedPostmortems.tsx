import { InfoCard, Link } from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/core-plugin-api';
import {
  Grid,
  List,
  ListItem,
  ListItemText,
  makeStyles,
} from '@material-ui/core';
import { relatedReasonText } from '@postmortems-oss/backstage-plugin-postmortems-common';
import useAsync from 'react-use/esm/useAsync';
import { postmortemsApiRef } from '../../api';
import { incidentRouteRef } from '../../routes';

const useStyles = makeStyles(theme => ({
  reasons: {
    margin: 0,
    paddingLeft: theme.spacing(2),
  },
}));

/**
 * Published post-mortems related to the incident being written up (same
 * services, services related in the catalog, similar causes), the top few
 * with why each was matched. Renders as a grid item of the post-mortem view,
 * and nothing when there are none or they cannot be read.
 */
export const RelatedPostmortems = ({
  incidentId,
  limit = 3,
}: {
  incidentId: string;
  limit?: number;
}) => {
  const classes = useStyles();
  const api = useApi(postmortemsApiRef);
  const incidentRoute = useRouteRef(incidentRouteRef);
  const related = useAsync(
    () => api.getRelatedPostmortems(incidentId, limit),
    [api, incidentId, limit],
  );
  // Helpful context, not part of the document: without it the view is whole.
  if (!related.value?.length) return null;

  return (
    <Grid item xs={12}>
      <InfoCard
        title="Related post-mortems"
        subheader="Published post-mortems of the same or related services, or of similar causes"
      >
        <List dense aria-label="Related post-mortems">
          {related.value.map(item => (
            <ListItem key={item.postmortem_id} disableGutters>
              <ListItemText
                primary={
                  <Link to={incidentRoute({ incidentId: item.reference })}>
                    {item.reference}: {item.title}
                  </Link>
                }
                secondaryTypographyProps={{ component: 'div' }}
                secondary={
                  <ul
                    className={classes.reasons}
                    aria-label={`Why ${item.reference} is related`}
                  >
                    {item.reasons.map((reason, index) => (
                      <li key={index}>{relatedReasonText(reason)}</li>
                    ))}
                  </ul>
                }
              />
            </ListItem>
          ))}
        </List>
      </InfoCard>
    </Grid>
  );
};
