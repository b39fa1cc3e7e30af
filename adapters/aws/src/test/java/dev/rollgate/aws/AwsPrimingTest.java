package dev.rollgate.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class AwsPrimingTest {

  @Test
  void prime_shouldServeEveryCallInProcess_whenNoAwsIsReachable() throws Exception {
    // GIVEN no AWS endpoint and no credentials (priming sends to priming.invalid, which does not
    // resolve: a request that left the process would fail)

    // WHEN the deployment path and the S3 manifest read are primed
    int served = AwsPriming.prime(true);

    // THEN it completed, and every request was answered in process: DescribeServices and
    // DescribeTaskDefinition (describe), DescribeServices, DescribeTaskDefinition,
    // ListTaskDefinitions, RegisterTaskDefinition and UpdateService (roll out), DescribeServices
    // (observe), GetObject (manifest)
    assertEquals(9, served);
  }

  @Test
  void prime_shouldLeaveS3Alone_whenTheManifestIsNotInS3() throws Exception {
    // WHEN only the ECS path is primed
    int served = AwsPriming.prime(false);

    // THEN no S3 client was built or called
    assertEquals(8, served);
  }
}
