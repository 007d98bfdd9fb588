"""Site visits by the project chief, assistant and leader in charge (GS3, DC2), and the weeks found short of them."""
