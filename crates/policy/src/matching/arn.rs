//! ARNs: `arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`, viewed in place.

use std::fmt;

use super::err::{ArnError, ArnErrorKind};

/// A parsed ARN: a borrowed view that records where its parts are, so parsing
/// never allocates.
///
/// The region and account may be empty (IAM, S3); the resource may itself
/// hold `:` and `/`.
///
/// ```
/// use keyward_policy::matching::Arn;
///
/// let arn = Arn::parse("arn:aws:kms:us-east-1:111122223333:key/1234abcd").unwrap();
/// assert_eq!(arn.partition(), "aws");
/// assert_eq!(arn.service(), "kms");
/// assert_eq!(arn.region(), "us-east-1");
/// assert_eq!(arn.account(), "111122223333");
/// assert_eq!(arn.resource(), "key/1234abcd");
/// assert_eq!(arn.resource_type(), Some("key"));
/// assert_eq!(arn.resource_id(), "1234abcd");
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Arn<'a> {
    text: &'a str,
    /// Byte offsets of the first five `:`.
    colons: [usize; 5],
}

impl<'a> Arn<'a> {
    /// Parse `text` as an ARN.
    ///
    /// ```
    /// use keyward_policy::matching::Arn;
    ///
    /// assert!(Arn::parse("arn:aws:iam::111122223333:root").is_ok());
    /// assert!(Arn::parse("111122223333").is_err());
    /// ```
    pub fn parse(text: &'a str) -> Result<Arn<'a>, ArnError> {
        Arn::split(text).map_err(|kind| ArnError::new(text, kind))
    }

    /// Parse without building an error value: the hot-path form.
    pub(super) fn split(text: &'a str) -> Result<Arn<'a>, ArnErrorKind> {
        let mut colons = [0usize; 5];
        let mut found = 0usize;
        for (at, byte) in text.bytes().enumerate() {
            if byte == b':' {
                if let Some(slot) = colons.get_mut(found) {
                    *slot = at;
                }
                found += 1;
                if found == colons.len() {
                    break;
                }
            }
        }
        if !text.starts_with("arn:") {
            return Err(ArnErrorKind::NotArn);
        }
        if found < colons.len() {
            return Err(ArnErrorKind::TooFewParts { found: found + 1 });
        }
        let arn = Arn { text, colons };
        if arn.partition().is_empty() {
            Err(ArnErrorKind::EmptyPartition)
        } else if arn.service().is_empty() {
            Err(ArnErrorKind::EmptyService)
        } else if arn.resource().is_empty() {
            Err(ArnErrorKind::EmptyResource)
        } else {
            Ok(arn)
        }
    }

    /// The part between colon `i - 1` and colon `i` (0-based parts 1..=4), or
    /// the resource for `i == 5`.
    fn part(&self, i: usize) -> &'a str {
        let start = match i.checked_sub(1).and_then(|j| self.colons.get(j)) {
            Some(colon) => colon + 1,
            None => 0,
        };
        let end = self.colons.get(i).copied().unwrap_or(self.text.len());
        self.text.get(start..end).unwrap_or("")
    }

    /// The whole ARN.
    ///
    /// ```
    /// use keyward_policy::matching::Arn;
    ///
    /// let text = "arn:aws:s3:::bucket/key";
    /// assert_eq!(Arn::parse(text).unwrap().as_str(), text);
    /// ```
    pub fn as_str(&self) -> &'a str {
        self.text
    }

    /// The partition: `aws`, `aws-cn`, `aws-us-gov`, ….
    pub fn partition(&self) -> &'a str {
        self.part(1)
    }

    /// The service namespace, e.g. `kms`.
    pub fn service(&self) -> &'a str {
        self.part(2)
    }

    /// The region; empty for global services.
    pub fn region(&self) -> &'a str {
        self.part(3)
    }

    /// The account id; empty for some services (S3 buckets).
    pub fn account(&self) -> &'a str {
        self.part(4)
    }

    /// Everything after the fifth `:`.
    pub fn resource(&self) -> &'a str {
        self.part(5)
    }

    /// The resource type: the resource up to its first `/` or `:`; `None`
    /// when it has neither.
    ///
    /// ```
    /// use keyward_policy::matching::Arn;
    ///
    /// let alias = Arn::parse("arn:aws:kms:us-east-1:111122223333:alias/prod").unwrap();
    /// assert_eq!(alias.resource_type(), Some("alias"));
    /// let topic = Arn::parse("arn:aws:sns:us-east-1:111122223333:topic").unwrap();
    /// assert_eq!(topic.resource_type(), None);
    /// ```
    pub fn resource_type(&self) -> Option<&'a str> {
        let resource = self.resource();
        resource.find(['/', ':']).and_then(|at| resource.get(..at))
    }

    /// The resource after its first `/` or `:`; the whole resource when it has
    /// neither.
    ///
    /// ```
    /// use keyward_policy::matching::Arn;
    ///
    /// let user = Arn::parse("arn:aws:iam::111122223333:user/admins/alice").unwrap();
    /// assert_eq!(user.resource_id(), "admins/alice");
    /// let bucket = Arn::parse("arn:aws:s3:::my-bucket").unwrap();
    /// assert_eq!(bucket.resource_id(), "my-bucket");
    /// ```
    pub fn resource_id(&self) -> &'a str {
        let resource = self.resource();
        match resource.find(['/', ':']) {
            Some(at) => resource.get(at + 1..).unwrap_or(""),
            None => resource,
        }
    }
}

impl fmt::Debug for Arn<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Arn").field(&self.text).finish()
    }
}

/// Writes the ARN as given.
impl fmt::Display for Arn<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resource_may_hold_colons_and_slashes() {
        let arn = Arn::parse("arn:aws:logs:us-east-1:111122223333:log-group:/aws/x:*").unwrap();
        assert_eq!(arn.resource(), "log-group:/aws/x:*");
        assert_eq!(arn.resource_type(), Some("log-group"));
        assert_eq!(arn.resource_id(), "/aws/x:*");
    }

    #[test]
    fn region_and_account_may_be_empty() {
        let arn = Arn::parse("arn:aws:s3:::bucket/key").unwrap();
        assert_eq!((arn.region(), arn.account()), ("", ""));
        assert_eq!(arn.resource(), "bucket/key");
        let arn = Arn::parse("arn:aws-cn:iam::111122223333:role/x").unwrap();
        assert_eq!(arn.partition(), "aws-cn");
        assert_eq!(arn.region(), "");
    }

    #[test]
    fn malformed_arns_are_rejected_with_a_reason() {
        let kind = |t: &str| Arn::parse(t).unwrap_err().kind();
        assert_eq!(kind("ARN:aws:kms:r:a:key/x"), ArnErrorKind::NotArn);
        assert_eq!(kind("111122223333"), ArnErrorKind::NotArn);
        assert_eq!(
            kind("arn:aws:kms:r:a"),
            ArnErrorKind::TooFewParts { found: 5 }
        );
        assert_eq!(kind("arn::kms:r:a:key/x"), ArnErrorKind::EmptyPartition);
        assert_eq!(kind("arn:aws::r:a:key/x"), ArnErrorKind::EmptyService);
        assert_eq!(kind("arn:aws:kms:r:a:"), ArnErrorKind::EmptyResource);
        assert_eq!(
            Arn::parse("key/1234").unwrap_err().to_string(),
            "`key/1234` is not an ARN: expected `arn:partition:service:region:account:resource`"
        );
    }
}
