package dev.rollgate.gcp.emulator;

import com.google.cloud.run.v2.GetRevisionRequest;
import com.google.cloud.run.v2.ListRevisionsRequest;
import com.google.cloud.run.v2.ListRevisionsResponse;
import com.google.cloud.run.v2.Revision;
import com.google.cloud.run.v2.RevisionsGrpc;
import io.grpc.stub.StreamObserver;

/**
 * {@code google.cloud.run.v2.Revisions} (revision.proto): GetRevision and ListRevisions, newest
 * first as the real API lists them.
 */
final class FakeRevisions extends RevisionsGrpc.RevisionsImplBase {

  private final CloudRunStore store;
  private final FakeCalls calls;

  FakeRevisions(CloudRunStore store, FakeCalls calls) {
    this.store = store;
    this.calls = calls;
  }

  @Override
  public void getRevision(GetRevisionRequest request, StreamObserver<Revision> observer) {
    calls.answer(
        "GetRevision",
        observer,
        fault -> {
          Revision r = store.revisions.get(request.getName());
          if (r == null) {
            throw FakeCalls.notFound("REVISION", request.getName());
          }
          return r;
        });
  }

  @Override
  public void listRevisions(
      ListRevisionsRequest request, StreamObserver<ListRevisionsResponse> observer) {
    calls.answer(
        "ListRevisions",
        observer,
        fault -> {
          ListRevisionsResponse.Builder b = ListRevisionsResponse.newBuilder();
          java.util.List<Revision> found =
              new java.util.ArrayList<>(
                  store.revisions.values().stream()
                      .filter(r -> r.getName().startsWith(request.getParent() + "/revisions/"))
                      .toList());
          java.util.Collections.reverse(found);
          b.addAllRevisions(found);
          return b.build();
        });
  }
}
