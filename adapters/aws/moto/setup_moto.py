"""Creates what infrastructure code would in moto for the invoke demo, and writes its manifest.

python3 setup_moto.py ENDPOINT MANIFEST_PATH
  a cluster 'rollgate-demo' with an ECS service 'shop' (container 'app', placeholder image), and
  a rollgate.yaml whose staging follows 123456789012.dkr.ecr.us-west-2.amazonaws.com/my-repository-name
  (the repository of events/fixtures/aws-ecr-image-push.json). moto has no running service to
  probe, so the manifest's health check asks moto's own API page instead.
"""
import sys

import boto3

endpoint, manifest = sys.argv[1], sys.argv[2]
ecs = boto3.client(
    "ecs",
    endpoint_url=endpoint,
    region_name="us-east-1",
    aws_access_key_id="testing",
    aws_secret_access_key="testing",
)
ecs.create_cluster(clusterName="rollgate-demo")
# "plain": scripts/bench cold-start's hand-written handler, in a task definition family of its
# own, so that neither side ever sees the other's revisions.
for service in ("shop", "plain"):
    task = ecs.register_task_definition(
        family=service,
        containerDefinitions=[
            {"name": "app", "image": "public.ecr.aws/rollgate/placeholder:bootstrap", "memory": 512}
        ],
        tags=[{"key": "rollgate:placeholder", "value": "true"}],
    )["taskDefinition"]
    ecs.create_service(
        cluster="rollgate-demo",
        serviceName=service,
        taskDefinition=task["taskDefinitionArn"],
        desiredCount=1,
    )
with open(manifest, "w") as f:
    f.write(
        f"""version: 1
apps:
  - name: shop
    image: 123456789012.dkr.ecr.us-west-2.amazonaws.com/my-repository-name
    environments:
      staging:
        deploy: on-push
        target: {{ platform: ecs, cluster: rollgate-demo, service: shop, container: app, region: us-east-1, url: "{endpoint}" }}
        health: {{ url: "{endpoint}/moto-api/data.json", interval: 200ms, successThreshold: 2, deadline: 20s }}
"""
    )
print(manifest)
