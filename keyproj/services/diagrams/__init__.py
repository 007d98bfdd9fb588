"""The diagrams' versions (X3): validate, deploy, list, diff, retire, and migrate running cases."""
