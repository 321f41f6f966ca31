"""Lambda function handlers deployed by the `aws-compute:functions` stage config.

Each sub-folder is one deployment package (zipped as is); tests live in `functions/tests`
so they never ship inside a package.
"""
