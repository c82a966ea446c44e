def test_me_with_key(client_for, user):
    response = client_for(user).get("/api/v1/me")
    assert response.status_code == 200
    assert response.json()["username"] == user.username


def test_me_without_key_is_401_json(api_client, db):
    response = api_client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
