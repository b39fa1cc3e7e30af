"""Creates what infrastructure code would in moto for the invoke demo, and writes its manifest.

python3 setup_moto.py ENDPOINT MANIFEST_PATH [--migrations]
  a cluster 'rollgate-demo' with an ECS service 'shop' (container 'app', placeholder image), and
  a rollgate.yaml whose staging follows 123456789012.dkr.ecr.us-west-2.amazonaws.com/my-repository-name
  (the repository of events/fixtures/aws-ecr-image-push.json). moto has no running service to
  probe, so the manifest's health check asks moto's own API page instead. With --migrations,
  every release first runs its migration as a one-off ECS task of the new task definition
  (moto's tasks stop with exit code 0 after four DescribeTasks).
"""
import sys

import boto3

endpoint, manifest = sys.argv[1], sys.argv[2]
migrations = (
    "\n        migrations: { job: { command: [migrate], args: [--to, latest] } }"
    if "--migrations" in sys.argv[3:]
    else ""
)
session = boto3.Session(
    region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing"
)
ecs = session.client("ecs", endpoint_url=endpoint)
ec2 = session.client("ec2", endpoint_url=endpoint)
# moto's default VPC: its subnets give tasks network interfaces moto can describe.
subnet = ec2.describe_subnets()["Subnets"][0]["SubnetId"]
group = ec2.describe_security_groups()["SecurityGroups"][0]["GroupId"]
ecs.create_cluster(clusterName="rollgate-demo")
# Fargate services, as teams run them (and as moto's RunTask needs for migration tasks).
# "plain": scripts/bench cold-start's hand-written handler, in a task definition family of its
# own, so that neither side ever sees the other's revisions.
for service in ("shop", "plain"):
    task = ecs.register_task_definition(
        family=service,
        networkMode="awsvpc",
        requiresCompatibilities=["FARGATE"],
        cpu="256",
        memory="512",
        containerDefinitions=[
            {"name": "app", "image": "public.ecr.aws/rollgate/placeholder:bootstrap", "essential": True, "cpu": 256, "memory": 512}
        ],
        tags=[{"key": "rollgate:placeholder", "value": "true"}],
    )["taskDefinition"]
    ecs.create_service(
        cluster="rollgate-demo",
        serviceName=service,
        taskDefinition=task["taskDefinitionArn"],
        desiredCount=1,
        launchType="FARGATE",
        networkConfiguration={
            "awsvpcConfiguration": {"subnets": [subnet], "securityGroups": [group], "assignPublicIp": "DISABLED"}
        },
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
        health: {{ url: "{endpoint}/moto-api/", interval: 200ms, successThreshold: 2, deadline: 20s }}{migrations}
"""
    )
print(manifest)
