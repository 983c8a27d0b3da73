import {
  EmptyState,
  Link,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { Box, Grid } from '@material-ui/core';
import ArrowBackIcon from '@material-ui/icons/ArrowBack';
import { useCallback, useState } from 'react';
import { useLocation, useSearchParams } from 'react-router-dom';
import { usePostmortemRows } from '../../hooks/usePostmortemRows';
import { EntityActionItemsCard } from '../EntityActionItemsCard';
import { IncidentPostmortem } from '../IncidentPostmortem';
import { IncidentsAwaitingPostmortem } from '../IncidentsAwaitingPostmortem';
import {
  PostmortemFilters,
  PostmortemFilterValues,
} from '../PostmortemFilters';
import { PostmortemTable } from '../PostmortemTable';
import { ServiceReliability } from '../ServiceReliability';

const PAGE_SIZE = 20;

/**
 * The Post-Mortems tab of a service: the post-mortems of every incident that
 * affected it and its open action items. `?incident=INC-3` opens one
 * post-mortem in the tab, so that the URL can be shared.
 */
export const ServicePostmortems = ({ entity }: { entity: Entity }) => {
  const entityRef = stringifyEntityRef(entity);
  const location = useLocation();
  const [params] = useSearchParams();
  const selected = params.get('incident');
  const [filters, setFilters] = useState<PostmortemFilterValues>({
    status: '',
    severity: '',
  });
  const [page, setPage] = useState(1);
  const rows = usePostmortemRows({
    entityRef,
    status: filters.status ? [filters.status] : undefined,
    severity: filters.severity ? [filters.severity] : undefined,
    page,
    limit: PAGE_SIZE,
  });
  const linkTo = useCallback(
    (incidentRef: string) =>
      `${location.pathname}?incident=${encodeURIComponent(incidentRef)}`,
    [location.pathname],
  );

  if (selected) {
    return (
      <Box>
        <Box mb={2}>
          <Link to={location.pathname}>
            <Box display="inline-flex" alignItems="center" style={{ gap: 4 }}>
              <ArrowBackIcon fontSize="small" /> All post-mortems of this
              service
            </Box>
          </Link>
        </Box>
        <IncidentPostmortem incidentId={selected} />
      </Box>
    );
  }

  const name = entity.metadata.title ?? entity.metadata.name;
  const filtered = Boolean(filters.status || filters.severity);
  let list;
  if (rows.loading && !rows.value) {
    list = <Progress />;
  } else if (rows.error) {
    list = <ResponseErrorPanel error={rows.error} />;
  } else if (!rows.value?.rows.length && !filtered) {
    list = (
      <EmptyState
        missing="data"
        title={`No post-mortems for ${name} yet`}
        description="Post-mortems of incidents that affected this entity will be listed here, newest first."
      />
    );
  } else {
    list = (
      <>
        <PostmortemFilters
          value={filters}
          onChange={value => {
            setFilters(value);
            setPage(1);
          }}
        />
        <PostmortemTable
          title="Post-mortems"
          rows={rows.value?.rows ?? []}
          linkTo={linkTo}
          total={rows.value?.total}
          page={page}
          limit={PAGE_SIZE}
          onPageChange={setPage}
          emptyContent={<Box p={2}>No post-mortems match these filters.</Box>}
        />
      </>
    );
  }

  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <ServiceReliability entity={entity} />
      </Grid>
      <Grid item xs={12}>
        {list}
      </Grid>
      <Grid item xs={12}>
        <EntityActionItemsCard entityRef={entityRef} linkTo={linkTo} />
      </Grid>
      <Grid item xs={12}>
        <IncidentsAwaitingPostmortem entityRef={entityRef} linkTo={linkTo} />
      </Grid>
    </Grid>
  );
};
