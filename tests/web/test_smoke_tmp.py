def test_smoke(client, fake):
    r = client.get("/")
    print(r.status_code, r.text[:300])
    assert r.status_code == 200
    a = fake.add_article()
    r = client.get(f"/articles/{a['id']}")
    print(r.text)
    assert r.status_code == 200
    r = client.get("/library")
    print(r.text[-2500:])
    r = client.post("/generate", data={"language": "English", "level": "B1", "length": "300", "topic": "parks"}, follow_redirects=False)
    print(r.status_code, r.headers)
    loc = r.headers["location"]
    r = client.get(loc)
    print(r.text[-2000:])
    r = client.get(loc + "/events")
    print(r.status_code, r.headers, r.text)
