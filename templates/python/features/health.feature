Feature: Health endpoint
  An orchestrator asks the service whether it is alive before sending it traffic.

  Scenario: A client asks the running service for its health
    Given the service is running
    When a client requests "/healthz"
    Then the response status is 200
    And the response reports "ok"
