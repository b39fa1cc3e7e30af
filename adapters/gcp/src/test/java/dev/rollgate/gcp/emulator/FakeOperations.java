package dev.rollgate.gcp.emulator;

import com.google.longrunning.GetOperationRequest;
import com.google.longrunning.Operation;
import io.grpc.BindableService;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;

/**
 * {@code google.longrunning.Operations} (google/longrunning/operations.proto), the service Google's
 * clients poll a long-running operation with: GetOperation only. Its stubs (grpc-google-common-
 * protos) are not on this class path, so the one method is described here from the proto's names.
 */
final class FakeOperations implements BindableService {

  static final String SERVICE = "google.longrunning.Operations";

  private static final MethodDescriptor<GetOperationRequest, Operation> GET_OPERATION =
      MethodDescriptor.<GetOperationRequest, Operation>newBuilder()
          .setType(MethodDescriptor.MethodType.UNARY)
          .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, "GetOperation"))
          .setRequestMarshaller(ProtoUtils.marshaller(GetOperationRequest.getDefaultInstance()))
          .setResponseMarshaller(ProtoUtils.marshaller(Operation.getDefaultInstance()))
          .build();

  private final CloudRunStore store;
  private final FakeCalls calls;

  FakeOperations(CloudRunStore store, FakeCalls calls) {
    this.store = store;
    this.calls = calls;
  }

  void getOperation(GetOperationRequest request, StreamObserver<Operation> observer) {
    calls.answer(
        "GetOperation",
        observer,
        fault -> {
          Operation op = store.operations.get(request.getName());
          if (op == null) {
            throw FakeCalls.notFound("OPERATION", request.getName());
          }
          return op;
        });
  }

  @Override
  public ServerServiceDefinition bindService() {
    return ServerServiceDefinition.builder(SERVICE)
        .addMethod(GET_OPERATION, ServerCalls.asyncUnaryCall(this::getOperation))
        .build();
  }
}
