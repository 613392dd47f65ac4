"""The Greenhouse Assessment Partner API: list_tests, send_test, test_status, response_error, completion PATCH."""
