import {
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { stringifyEntityRef } from '@backstage/catalog-model';
import useAsync from 'react-use/esm/useAsync';
import { postmortemsApiRef } from '../../api';

/**
 * The Post-Mortems tab of an entity page: the post-mortems of the incidents
 * that touched this entity.
 *
 * @public
 */
export const EntityPostmortemsContent = () => {
  const { entity } = useEntity();
  const api = useApi(postmortemsApiRef);
  const { loading, error } = useAsync(() => api.getHealth(), [api]);

  if (loading) {
    return <Progress />;
  }
  if (error) {
    return <ResponseErrorPanel error={error} />;
  }

  const name = entity.metadata.title ?? entity.metadata.name;
  return (
    <InfoCard title="Post-Mortems" subheader={stringifyEntityRef(entity)}>
      <EmptyState
        missing="data"
        title={`No post-mortems for ${name} yet`}
        description="Post-mortems of resolved incidents that affected this entity will be listed here."
      />
    </InfoCard>
  );
};
