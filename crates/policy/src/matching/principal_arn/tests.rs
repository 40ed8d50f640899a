use super::*;

const ACCT: &str = "111122223333";

#[test]
fn accounts_by_arn_and_by_id() {
    assert_eq!(
        PrincipalArn::parse("arn:aws:iam::111122223333:root"),
        PrincipalArn::Account {
            partition: Some("aws"),
            account: ACCT
        }
    );
    assert_eq!(
        PrincipalArn::parse(ACCT),
        PrincipalArn::Account {
            partition: None,
            account: ACCT
        }
    );
    assert!(matches!(
        PrincipalArn::parse("11112222333"),
        PrincipalArn::Other(_)
    ));
    assert!(matches!(
        PrincipalArn::parse("11112222333x"),
        PrincipalArn::Other(_)
    ));
    assert!(matches!(
        PrincipalArn::parse("arn:aws:iam::1111:root"),
        PrincipalArn::Other(_)
    ));
    assert!(matches!(
        PrincipalArn::parse("arn:aws:sts::111122223333:root"),
        PrincipalArn::Other(_)
    ));
}

#[test]
fn users_roles_and_groups_keep_their_paths() {
    assert_eq!(
        PrincipalArn::parse("arn:aws:iam::111122223333:user/alice"),
        PrincipalArn::User {
            partition: "aws",
            account: ACCT,
            path: "/",
            name: "alice"
        }
    );
    assert_eq!(
        PrincipalArn::parse("arn:aws:iam::111122223333:user/dev/team-a/alice"),
        PrincipalArn::User {
            partition: "aws",
            account: ACCT,
            path: "/dev/team-a/",
            name: "alice"
        }
    );
    assert_eq!(
        PrincipalArn::parse("arn:aws-us-gov:iam::111122223333:role/service-role/Lambda"),
        PrincipalArn::Role {
            partition: "aws-us-gov",
            account: ACCT,
            path: "/service-role/",
            name: "Lambda"
        }
    );
    assert_eq!(
        PrincipalArn::parse("arn:aws:iam::111122223333:group/Admins"),
        PrincipalArn::Group {
            partition: "aws",
            account: ACCT,
            path: "/",
            name: "Admins"
        }
    );
    for bad in [
        "arn:aws:iam::111122223333:user/",
        "arn:aws:iam::111122223333:user/dev/",
        "arn:aws:iam::111122223333:instance-profile/x",
        "arn:aws:iam:us-east-1:111122223333:user/alice",
    ] {
        assert_eq!(PrincipalArn::parse(bad), PrincipalArn::Other(bad), "{bad}");
    }
}

#[test]
fn sts_sessions_and_federated_users() {
    assert_eq!(
        PrincipalArn::parse("arn:aws:sts::111122223333:assumed-role/Admin/alice@example.com"),
        PrincipalArn::AssumedRole {
            partition: "aws",
            account: ACCT,
            role_name: "Admin",
            session: "alice@example.com"
        }
    );
    assert_eq!(
        PrincipalArn::parse("arn:aws:sts::111122223333:federated-user/bob"),
        PrincipalArn::FederatedUser {
            partition: "aws",
            account: ACCT,
            name: "bob"
        }
    );
    for bad in [
        "arn:aws:sts::111122223333:assumed-role/Admin",
        "arn:aws:sts::111122223333:assumed-role/Admin/",
        "arn:aws:sts::111122223333:assumed-role//s",
        "arn:aws:sts::111122223333:assumed-role/a/b/c",
        "arn:aws:sts::111122223333:federated-user/",
        "arn:aws:iam::111122223333:assumed-role/Admin/s",
    ] {
        assert_eq!(PrincipalArn::parse(bad), PrincipalArn::Other(bad), "{bad}");
    }
}

#[test]
fn unique_ids() {
    assert_eq!(
        PrincipalArn::parse("AIDAJQABLZS4A3QDU576Q"),
        PrincipalArn::UniqueId {
            id: "AIDAJQABLZS4A3QDU576Q",
            kind: UniqueIdKind::User
        }
    );
    assert!(matches!(
        PrincipalArn::parse("AROA3XFRBF535PLBIFPI4"),
        PrincipalArn::UniqueId {
            kind: UniqueIdKind::Role,
            ..
        }
    ));
    assert!(matches!(
        PrincipalArn::parse("AIDA"),
        PrincipalArn::Other(_)
    ));
    assert!(matches!(
        PrincipalArn::parse("AIDAabc"),
        PrincipalArn::Other(_)
    ));
    assert!(matches!(
        PrincipalArn::parse("AKIAIOSFODNN7EXAMPLE"),
        PrincipalArn::Other(_)
    ));
}

#[test]
fn other_forms() {
    for text in ["*", "cloudtrail.amazonaws.com", "arn:aws:s3:::bucket", ""] {
        assert_eq!(PrincipalArn::parse(text), PrincipalArn::Other(text));
        assert_eq!(PrincipalArn::parse(text).account(), None);
    }
}

#[test]
fn sessions_match_their_role_whatever_its_path() {
    let session = PrincipalArn::parse("arn:aws:sts::111122223333:assumed-role/Admin/s");
    let yes = [
        "arn:aws:iam::111122223333:role/Admin",
        "arn:aws:iam::111122223333:role/a/b/Admin",
    ];
    let no = [
        "arn:aws:iam::111122223333:role/admin",
        "arn:aws:iam::444455556666:role/Admin",
        "arn:aws-cn:iam::111122223333:role/Admin",
        "arn:aws:iam::111122223333:user/Admin",
        "arn:aws:sts::111122223333:assumed-role/Admin/s",
    ];
    for role in yes {
        assert!(session.is_session_of(&PrincipalArn::parse(role)), "{role}");
    }
    for role in no {
        assert!(!session.is_session_of(&PrincipalArn::parse(role)), "{role}");
    }
}
