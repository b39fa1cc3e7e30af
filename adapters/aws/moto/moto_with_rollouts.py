"""moto server whose ECS services finish every rollout at once.

moto 5.2's UpdateService changes a service's task definition but not its PRIMARY deployment, so
a deployer watching rolloutState would see its revision replaced. This wrapper makes the PRIMARY
deployment follow the new task definition, COMPLETED with every desired task running, and then
runs moto's own server: python3 moto_with_rollouts.py -H 127.0.0.1 -p 5000
"""
import sys
import uuid

from moto.core.utils import utcnow
from moto.ecs import models

_update_service = models.EC2ContainerServiceBackend.update_service


def _update_service_and_roll_out(self, service_properties):
    service = _update_service(self, service_properties)
    if service.deployments:
        primary = service.deployments[0]
        primary.update(
            {
                "id": "ecs-svc/" + uuid.uuid4().hex[:12],
                "taskDefinition": service.task_definition,
                "rolloutState": "COMPLETED",
                "rolloutStateReason": "rolled out at once (moto_with_rollouts.py)",
                "desiredCount": service.desired_count,
                "runningCount": service.desired_count,
                "pendingCount": 0,
                "updatedAt": utcnow(),
            }
        )
    return service


models.EC2ContainerServiceBackend.update_service = _update_service_and_roll_out

if __name__ == "__main__":
    from moto.server import main

    sys.exit(main(sys.argv[1:]))
