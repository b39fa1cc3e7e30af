"""moto server whose ECS services finish every rollout at once.

moto 5.2's UpdateService changes a service's task definition but not its PRIMARY deployment, so
a deployer watching rolloutState would see its revision replaced. This wrapper makes the PRIMARY
deployment follow the new task definition, COMPLETED with every desired task running, and then
runs moto's own server: python3 moto_with_rollouts.py -H 127.0.0.1 -p 5000

An image whose digest starts with "sha256:bad" plays ECS's deployment circuit breaker instead
(its tasks "fail to start"): its deployment FAILED, and a new PRIMARY deployment back on the task
definition that served before, as ECS shows a rollback (README: "The same flow against moto").
"""
import sys
import uuid

from moto.core.utils import utcnow
from moto.ecs import models

_update_service = models.EC2ContainerServiceBackend.update_service


def _is_broken(backend, task_definition):
    images = [c.get("image", "") for c in backend.describe_task_definition(task_definition).container_definitions]
    return any("@sha256:bad" in image for image in images)


def _update_service_and_roll_out(self, service_properties):
    cluster = service_properties.get("cluster", "default")
    name = service_properties.get("service", "").split("/")[-1]
    before = self._get_service(cluster, name).task_definition
    service = _update_service(self, service_properties)
    if service.deployments and service.task_definition != before and _is_broken(self, service.task_definition):
        failed = service.task_definition
        service.task_definition = before
        primary = service.deployments[0]
        primary.update(
            {
                "id": "ecs-svc/" + uuid.uuid4().hex[:12],
                "taskDefinition": before,
                "rolloutState": "COMPLETED",
                "rolloutStateReason": "ECS deployment circuit breaker: rolling back to the previous task definition.",
                "desiredCount": service.desired_count,
                "runningCount": service.desired_count,
                "pendingCount": 0,
                "updatedAt": utcnow(),
            }
        )
        del service.deployments[1:]
        service.deployments.append(
            {
                "id": "ecs-svc/" + uuid.uuid4().hex[:12],
                "status": "ACTIVE",
                "taskDefinition": failed,
                "desiredCount": 0,
                "runningCount": 0,
                "pendingCount": 0,
                "failedTasks": service.desired_count or 1,
                "rolloutState": "FAILED",
                "rolloutStateReason": "ECS deployment circuit breaker: tasks failed to start.",
                "createdAt": utcnow(),
                "updatedAt": utcnow(),
            }
        )
        return service
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
