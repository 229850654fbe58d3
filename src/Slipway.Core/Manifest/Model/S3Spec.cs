using Slipway.Core.Manifest.Binding;
using Slipway.Core.Primitives;

namespace Slipway.Core.Manifest.Model;

/// <summary>How to reach an <c>s3://</c> backup destination: AWS by default, or any S3-compatible store at <see cref="Endpoint"/>.</summary>
internal sealed record S3Spec : IValidatedSpec
{
    /// <summary>An S3-compatible store's base URL (MinIO, Ceph, R2…), addressed path-style; null: AWS in <see cref="Region"/>.</summary>
    public string? Endpoint { get; init; }

    public string Region { get; init; } = "us-east-1";

    /// <summary>Never a literal: a key written in the manifest would end up in version control.</summary>
    public ValueReference AccessKeyId { get; init; } = ValueReference.Parse("env:AWS_ACCESS_KEY_ID");

    public ValueReference SecretAccessKey { get; init; } = ValueReference.Parse("env:AWS_SECRET_ACCESS_KEY");

    public void Validate(SpecContext context)
    {
        if (Endpoint is not null && !(Uri.TryCreate(Endpoint, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
        {
            context.Error("endpoint", "must be an http:// or https:// URL");
        }

        if (AccessKeyId.Kind == ValueReferenceKind.Literal)
        {
            context.Error("accessKeyId", "must be env:NAME or secret:NAME: a key written into the manifest ends up in version control");
        }

        if (SecretAccessKey.Kind == ValueReferenceKind.Literal)
        {
            context.Error("secretAccessKey", "must be env:NAME or secret:NAME: a key written into the manifest ends up in version control");
        }
    }
}
