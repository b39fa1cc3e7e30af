package dev.rollgate.azure.emulator;

/**
 * An ARM error answer: {@code {"error":{"code":...,"message":...}}}, the common error shape of
 * Azure Resource Manager (azure-rest-api-specs: common-types/resource-management/v5/types.json,
 * ErrorResponse).
 */
final class ArmError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  final int status;
  final String code;

  ArmError(int status, String code, String message) {
    super(message);
    this.status = status;
    this.code = code;
  }

  static ArmError notFound(String type, String name) {
    return new ArmError(
        404, "ResourceNotFound", "The Resource '%s/%s' was not found.".formatted(type, name));
  }

  static ArmError badRequest(String code, String message) {
    return new ArmError(400, code, message);
  }
}
