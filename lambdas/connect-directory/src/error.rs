//! Connect failures mapped onto the core's [`DirectoryError`], in one place.

use std::time::Duration;

use aws_sdk_connect::error::{ProvideErrorMetadata, SdkError};
use scim_core::DirectoryError;

/// How long a throttled or failing client is told to wait.
pub(crate) const RETRY_AFTER: Duration = Duration::from_secs(2);

pub(crate) fn map_sdk_error<E, R>(operation: &str, err: SdkError<E, R>) -> DirectoryError
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug,
{
    let message = || {
        err.message()
            .map(str::to_owned)
            .unwrap_or_else(|| format!("{operation} failed"))
    };
    match &err {
        SdkError::TimeoutError(_) | SdkError::DispatchFailure(_) | SdkError::ResponseError(_) => {
            return DirectoryError::Unavailable {
                message: format!(
                    "{operation}: {}",
                    aws_smithy_types::error::display::DisplayErrorContext(&err)
                ),
                retry_after: RETRY_AFTER,
            };
        }
        _ => {}
    }
    match err.code() {
        Some("ResourceNotFoundException") => DirectoryError::NotFound(message()),
        Some("DuplicateResourceException" | "ResourceInUseException") => DirectoryError::Conflict(message()),
        Some("InvalidParameterException" | "InvalidRequestException") => {
            DirectoryError::InvalidValue(message())
        }
        Some("ThrottlingException" | "TooManyRequestsException") => DirectoryError::Throttled {
            retry_after: RETRY_AFTER,
        },
        Some("InternalServiceException" | "ServiceUnavailableException") => DirectoryError::Unavailable {
            message: message(),
            retry_after: RETRY_AFTER,
        },
        Some("AccessDeniedException") => DirectoryError::Internal(format!(
            "{operation} was denied; check the handler role's permissions on the instance: {}",
            message()
        )),
        Some(code) => DirectoryError::Internal(format!("{operation}: {code}: {}", message())),
        None => DirectoryError::Internal(format!(
            "{operation}: {}",
            aws_smithy_types::error::display::DisplayErrorContext(&err)
        )),
    }
}
